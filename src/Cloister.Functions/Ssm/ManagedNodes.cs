using System.Collections.Concurrent;

namespace Cloister.Functions.Ssm;

/// <summary>
/// The managed nodes Systems Manager knows: every instance whose agent has called UpdateInstanceInformation since the
/// service started, and whether it still pings. Kept in memory: the agents register again within a ping interval of
/// the next <c>up</c>, as agents do after a service disruption.
/// </summary>
internal sealed class ManagedNodes(TimeSpan connectionLostAfter)
{
    private readonly ConcurrentDictionary<string, ManagedNode> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _controlChannels = new(StringComparer.Ordinal);

    /// <summary>How long after its last ping a node is <c>ConnectionLost</c> rather than <c>Online</c>.</summary>
    public TimeSpan ConnectionLostAfter { get; } = connectionLostAfter;

    public void Ping(ManagedNode node) => _nodes[node.InstanceId] = node;

    public ManagedNode? Find(string instanceId) => _nodes.GetValueOrDefault(instanceId);

    /// <summary>Every node, by instance id.</summary>
    public IEnumerable<ManagedNode> All() => _nodes.Values.OrderBy(n => n.InstanceId, StringComparer.Ordinal);

    /// <summary><c>Online</c> while the node pinged within <see cref="ConnectionLostAfter"/>, <c>ConnectionLost</c> after.</summary>
    public string PingStatus(ManagedNode node, long nowMilliseconds) =>
        nowMilliseconds - node.LastPingMilliseconds <= (long)ConnectionLostAfter.TotalMilliseconds ? "Online" : "ConnectionLost";

    public bool IsOnline(string instanceId, long nowMilliseconds) =>
        Find(instanceId) is { } node && PingStatus(node, nowMilliseconds) == "Online";

    /// <summary>Records that the agent of <paramref name="instanceId"/> (re)created its control channel (through ssmmessages).</summary>
    public void OpenControlChannel(string instanceId, long nowMilliseconds) => _controlChannels[instanceId] = nowMilliseconds;

    /// <summary>
    /// Whether Session Manager can reach the node: online, and its agent created its control channel within
    /// <see cref="ConnectionLostAfter"/> (it does so at every ping while it can reach ssmmessages).
    /// </summary>
    public bool IsConnected(string instanceId, long nowMilliseconds) =>
        IsOnline(instanceId, nowMilliseconds)
        && _controlChannels.TryGetValue(instanceId, out var opened)
        && nowMilliseconds - opened <= (long)ConnectionLostAfter.TotalMilliseconds;
}
