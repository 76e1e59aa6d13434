using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloister.Gateway.Hosting;

/// <summary>
/// Kestrel's <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> diagnostic event ("Diagnostics in Kestrel"): raised,
/// with the refused request's features, before Kestrel writes its empty 4xx; marks the connection's <see cref="RefusalOutput"/>.
/// </summary>
internal sealed class RefusalObserver : IObserver<KeyValuePair<string, object?>>
{
    public const string EventName = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    /// <summary>Only Kestrel's refusals: the hosting layer asks about its own events on every request, and gets no.</summary>
    public static readonly Predicate<string> IsEnabled = static name => string.Equals(name, EventName, StringComparison.Ordinal);

    public static IDisposable Subscribe(DiagnosticListener listener) => listener.Subscribe(new RefusalObserver(), IsEnabled);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is IFeatureCollection features
            && features.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException refusal
            && features.Get<IHttpResponseFeature>() is { HasStarted: false })
        {
            features.Get<RefusalOutput>()?.Refuse(refusal.StatusCode);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
