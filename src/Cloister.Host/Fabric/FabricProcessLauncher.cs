using System.Collections.Concurrent;
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
        RuntimeApiSocket? opened = null;
        sandbox.CreateInNamespace(HostOf(placement).Namespace, () => (opened = RuntimeApiSocket.ListenOnLoopback()).Socket);
        return ValueTask.FromResult(opened!);
    }

    public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var host = HostOf(spec.Placement);
        var start = HostCommand.StartInfo(sandbox.Description, host, [spec.FileName, .. spec.Arguments]);
        start.WorkingDirectory = spec.WorkingDirectory;
        // Lambda's environment exactly; the wrapper finds its own tools on a fixed PATH and restores the function's.
        start.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }

        return ValueTask.FromResult(HostProcessLauncher.Launch(start));
    }

    // One host per function: its environments share the function's ENI, as Lambda's do within a subnet.
    private HostPlan HostOf(FunctionPlacement placement) =>
        _hosts.GetOrAdd(placement.FunctionName, _ => sandbox.HostFor(placement.Vpc is { } vpc
            ? new FabricPlacement([.. vpc.SubnetIds], [.. vpc.SecurityGroupIds])
            : FabricPlacement.NoVpc));
}
