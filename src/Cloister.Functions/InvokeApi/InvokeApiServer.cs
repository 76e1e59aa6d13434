using Cloister.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's Invoke API (<c>POST /2015-03-31/functions/{FunctionName}/invocations</c>) over HTTP/1.1 on Kestrel, for
/// <see cref="LambdaService"/>: HTTPS on the region's Lambda address and on every Lambda interface endpoint's network
/// interfaces (each connection there carries its endpoint), plain HTTP where asked. Dispose to stop.
/// </summary>
public sealed class InvokeApiServer : HostedServer
{
    private readonly InvokeAuthorizer? _authorizer;

    private InvokeApiServer((WebApplication Application, IReadOnlyList<Uri> Urls) started, InvokeAuthorizer? authorizer)
        : base(started)
    {
        _authorizer = authorizer;
    }

    /// <summary>
    /// Replaces the functions' resource-based policies (<see cref="LambdaAccess.FunctionPolicies"/>) from the next call
    /// on, on every listener; nothing when the server was started without <see cref="InvokeApiOptions.Access"/>.
    /// </summary>
    public void UpdateFunctionPolicies(IReadOnlyDictionary<string, PolicyDocument?> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _authorizer?.SwapFunctionPolicies(policies);
    }

    /// <summary>Starts serving <paramref name="functions"/> as <paramref name="options"/> say.</summary>
    public static async Task<InvokeApiServer> StartAsync(InvokeApiOptions options, LambdaService functions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(functions);
        if ((options.HttpsSocket is not null || options.HttpsEndPoint is not null) && options.Certificate is null)
        {
            throw new ArgumentException("HTTPS listeners need a certificate.", nameof(options));
        }

        var authorizer = options.Access is { } access ? new InvokeAuthorizer(access, options.Account, options.TimeProvider, functions) : null;
        var handler = new InvokeApiHandler(functions, authorizer, options.VpcOfSubnet);

        var started = await HttpsApplication.StartAsync(
            options.LoggerFactory,
            kestrel =>
            {
                // The handler bounds the body by Lambda's payload limits and answers as Lambda does, not Kestrel's limit.
                kestrel.Limits.MaxRequestBodySize = null;
                HttpsApplication.ListenRegional(kestrel, options.HttpsEndPoint, options.HttpsSocket, options.Certificate, options.EndpointListeners, options.HttpEndPoint);
            },
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        return new InvokeApiServer(started, authorizer);
    }
}
