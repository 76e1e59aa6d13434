using System.Collections.Concurrent;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Ports;
using Cloister.Model.Api;

namespace Cloister.Gateway.VpcLinks;

/// <summary>
/// One pooled HTTP client per VPC link and load balancer, each connecting through <see cref="IVpcLinkConnector"/>.
/// Separate pools matter: two links may use the same URI host, and a pooled connection must never cross links.
/// </summary>
internal sealed class VpcLinkClients(IVpcLinkConnector? connector) : IDisposable
{
    // Lazy: under a race GetOrAdd may run its factory twice; only one handler may ever be created per key.
    private readonly ConcurrentDictionary<(string LinkId, string Arn), Lazy<HttpMessageInvoker>> _clients = new();

    /// <summary>The client for <paramref name="link"/>; null when no connector was given (the gateway cannot reach any VPC).</summary>
    public HttpMessageInvoker? For(VpcLink link)
    {
        if (connector is null || link.TargetArns.IsDefaultOrEmpty)
        {
            return null;
        }

        var arn = link.TargetArns[0];
        return _clients.GetOrAdd((link.Id, arn), static (key, connector) => new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(BackendHandler.Create(async (context, cancellationToken) =>
            await connector.ConnectAsync(new VpcLinkTarget(key.LinkId, key.Arn, context.DnsEndPoint.Host, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false)))), connector).Value;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        _clients.Clear();
    }
}
