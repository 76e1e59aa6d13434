using Cloister.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cloister.Functions.Ssm;

/// <summary>
/// The sandbox's Systems Manager — Parameter Store, the managed nodes and Run Command (<see cref="SsmHandler"/>) — over HTTPS/1.1 on Kestrel: on the region's
/// SSM address, which the sandbox's resolvers answer for <c>ssm.{region}.amazonaws.com</c>, and on every <c>ssm</c>
/// interface endpoint's network interfaces; the agents' control channels (ssmmessages) on the region's ssmmessages
/// address and every <c>ssmmessages</c> interface endpoint's network interfaces; and their message delivery
/// (ec2messages) on the region's ec2messages address and every <c>ec2messages</c> interface endpoint's. Dispose to stop.
/// </summary>
public sealed class SsmServer : HostedServer
{
    private readonly ManagedNodes _nodes;
    private readonly ParameterStore _store;
    private readonly string _seedUser;
    private readonly TimeProvider _time;

    private SsmServer((WebApplication Application, IReadOnlyList<Uri> Urls) started, ManagedNodes nodes, ParameterStore store, string seedUser, TimeProvider time)
        : base(started)
    {
        _nodes = nodes;
        _store = store;
        _seedUser = seedUser;
        _time = time;
    }

    /// <summary>
    /// A deployment's changes to the templates' parameters, as CloudFormation's update makes them: each of
    /// <paramref name="written"/> (new, or changed in its template) is written as PutParameter with Overwrite does, a
    /// new version when it differs from the latest; each of <paramref name="removed"/> (gone from its template, or
    /// renamed) is deleted with every version. Callers see the change from their next request.
    /// </summary>
    public void UpdateTemplateParameters(IEnumerable<ParameterSeed> written, IEnumerable<string> removed)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(removed);
        foreach (var seed in written)
        {
            _store.Seed(seed, _seedUser, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        foreach (var name in removed)
        {
            _store.Delete(name);
        }
    }

    /// <summary>
    /// Whether Session Manager could open a session on <paramref name="instanceId"/>: <c>null</c> when it can, else
    /// why not, as the console words it (the agent is not online, or it is but has no control channel).
    /// </summary>
    public string? SessionRefusal(string instanceId)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return !_nodes.IsOnline(instanceId, now) ? $"SSM Agent is not online: {instanceId} is not a managed node that Systems Manager can reach (TargetNotConnected: {instanceId} is not connected.)"
            : !_nodes.IsConnected(instanceId, now) ? $"TargetNotConnected: {instanceId} is not connected. Its SSM Agent is online but has no control channel (it cannot reach ssmmessages, or registered seconds ago and has not opened it yet)."
            : null;
    }

    /// <summary>Starts serving as <paramref name="options"/> say, once the template's parameters are written.</summary>
    public static async Task<SsmServer> StartAsync(SsmOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Certificate is not { } certificate)
        {
            throw new ArgumentException("Parameter Store is served over HTTPS only: it needs a certificate.", nameof(options));
        }

        var store = new ParameterStore(options.DataDirectory);
        var seedUser = options.SeedUser ?? $"arn:{options.Account.Partition}:iam::{options.Account.AccountId}:root";
        foreach (var seed in options.Seeds)
        {
            store.Seed(seed, seedUser, options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        }

        var nodes = new ManagedNodes(options.ConnectionLostAfter);
        var handler = new SsmHandler(store, nodes, new CommandStore(
                options.DataDirectory,
                options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                options.Instances?.Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal)),
            options.Instances ?? [], options.MessagesEndpointIds, options.DeliveryEndpointIds, options.Access, options.Account, options.TimeProvider);
        var started = await HttpsApplication.StartAsync(
            options.LoggerFactory,
            kestrel => HttpsApplication.ListenRegional(
                kestrel, options.HttpsEndPoint, options.HttpsSocket, certificate, options.EndpointListeners,
                services:
                [
                    .. options.MessagesSocket is { } messages ? [new ServiceListener(SsmHandler.MessagesService, messages)] : Array.Empty<ServiceListener>(),
                    .. options.DeliverySocket is { } delivery ? [new ServiceListener(SsmHandler.DeliveryService, delivery)] : Array.Empty<ServiceListener>(),
                ]),
            handler.HandleAsync,
            cancellationToken).ConfigureAwait(false);
        return new SsmServer(started, nodes, store, seedUser, options.TimeProvider);
    }
}
