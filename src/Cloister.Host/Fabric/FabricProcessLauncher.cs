using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloister.Functions.Launching;
using Cloister.Network;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;
using FabricPlacement = Cloister.Network.Placement.ProcessPlacement;
using FunctionPlacement = Cloister.Functions.Launching.ProcessPlacement;

namespace Cloister.Host.Fabric;

/// <summary>
/// Starts a function's execution environments as the host the fabric placed it on: a function network interface in
/// one of its subnets (Lambda's VPC ENI), or the place of functions outside VPCs. The Runtime API listens on that
/// host's loopback, so only the function's own processes reach it.
/// </summary>
internal sealed class FabricProcessLauncher(Sandbox sandbox) : IProcessLauncher
{
    private readonly ConcurrentDictionary<string, HostPlan> _hosts = new(StringComparer.Ordinal);

    public ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(FunctionPlacement placement, CancellationToken cancellationToken)
    {
        var host = HostOf(placement);
        var socket = sandbox.CreateInNamespace(host.Namespace, () =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                listener.Listen(64);
                return listener;
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        });
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return ValueTask.FromResult(new RuntimeApiSocket(socket, string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}")));
    }

    public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var host = HostOf(spec.Placement);
        var start = HostCommand.StartInfo(sandbox.Description, host, [spec.FileName, .. spec.Arguments]);
        start.WorkingDirectory = spec.WorkingDirectory;
        // Lambda's environment exactly; the wrapper only needs to find its own tools.
        start.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }

        if (!start.Environment.ContainsKey("PATH"))
        {
            start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }

        return ValueTask.FromResult(HostProcessLauncher.Launch(start));
    }

    // One host per function: its environments share the function's ENI, as Lambda's do within a subnet.
    private HostPlan HostOf(FunctionPlacement placement) =>
        _hosts.GetOrAdd(placement.FunctionName, _ => sandbox.HostFor(placement.Vpc is { } vpc
            ? new FabricPlacement([.. vpc.SubnetIds], [.. vpc.SecurityGroupIds])
            : FabricPlacement.NoVpc));
}
