using Cloister.Network.Reachability;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>For every ordered pair of hosts and every listening port: a real attempt and the path analysis.</summary>
public static class IsolationMatrix
{
    public sealed record Cell(HostPlan From, HostPlan To, string Protocol, int Port, bool Connected, PathResult Analysis)
    {
        public override string ToString() =>
            $"{From.Name}->{To.Name} {Protocol}/{Port}: connected={Connected} analysis={Analysis.NetworkPathFound} " +
            $"{string.Join("; ", Analysis.Explanations.Select(e => $"{e.Code} {e.Message}"))}";
    }

    public static IReadOnlyList<HostPlan> ListeningHosts(Sandbox sandbox) =>
        [.. sandbox.Hosts.Where(h => h.Kind is HostKind.Instance or HostKind.OnPremisesHost)];

    public static async Task<IReadOnlyList<Cell>> RunAsync(Sandbox sandbox, TimeSpan timeout)
    {
        var hosts = ListeningHosts(sandbox);
        var analyzer = new PathAnalyzer(sandbox.Model, sandbox.Hosts);
        await using var probe = TrafficProbe.Listen(sandbox, hosts, MatrixTopology.TcpPorts, MatrixTopology.UdpPort);
        var attempts = new List<Task<Cell>>();
        foreach (var from in hosts)
        {
            foreach (var to in hosts.Where(h => h != from))
            {
                foreach (var port in MatrixTopology.TcpPorts)
                {
                    attempts.Add(Attempt(from, to, "tcp", port));
                }

                attempts.Add(Attempt(from, to, "udp", MatrixTopology.UdpPort));
            }
        }

        return await Task.WhenAll(attempts);

        async Task<Cell> Attempt(HostPlan from, HostPlan to, string protocol, int port)
        {
            var analysis = analyzer.Analyze(from, to.Address, port, protocol);
            var connected = await TryAsync(timeout);

            // On a loaded machine a SYN or datagram can miss a short deadline: a path the analysis finds gets one
            // more, longer attempt. A leak (a connection the analysis forbids) is never retried away.
            if (!connected && analysis.NetworkPathFound)
            {
                connected = await TryAsync(timeout * 4);
            }

            return new Cell(from, to, protocol, port, connected, analysis);

            Task<bool> TryAsync(TimeSpan limit) => protocol == "tcp"
                ? TrafficProbe.TryTcpAsync(sandbox, from, to.Address, port, limit)
                : TrafficProbe.TryUdpAsync(sandbox, from, to.Address, port, limit);
        }
    }
}
