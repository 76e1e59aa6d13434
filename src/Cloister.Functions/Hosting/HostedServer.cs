using Microsoft.AspNetCore.Builder;

namespace Cloister.Functions.Hosting;

/// <summary>
/// A running <see cref="HttpsApplication"/>: the addresses it listens on, and how it stops. The servers this module
/// starts (the Invoke API, STS, CloudWatch Logs) are each one of these with their own <c>StartAsync</c>.
/// </summary>
public abstract class HostedServer : IAsyncDisposable
{
    private readonly WebApplication _application;

    private protected HostedServer((WebApplication Application, IReadOnlyList<Uri> Urls) started)
    {
        _application = started.Application;
        Urls = started.Urls;
    }

    /// <summary>The addresses it listens on (ports resolved when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>Stops listening; calls under way finish first.</summary>
    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync().ConfigureAwait(false);
        await _application.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
