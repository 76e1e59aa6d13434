using System.Diagnostics;
using Cloister.Network.Placement;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Network;

/// <summary>Process placement: functions and <c>cloister exec</c> commands run as a host.</summary>
public sealed partial class Sandbox : IProcessLauncher
{
    /// <inheritdoc />
    public PlacedProcess Start(ProcessPlacement placement, ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(start);
        var host = HostFor(placement);
        return new PlacedProcess(StartOn(host, start), host);
    }

    /// <summary>Starts <paramref name="start"/> as if on <paramref name="host"/>.</summary>
    public Process StartOn(HostPlan host, ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(start);
        var placed = HostCommand.StartInfo(Description, host, [start.FileName, .. start.ArgumentList]);
        placed.WorkingDirectory = start.WorkingDirectory;
        placed.RedirectStandardInput = start.RedirectStandardInput;
        placed.RedirectStandardOutput = start.RedirectStandardOutput;
        placed.RedirectStandardError = start.RedirectStandardError;
        // What the caller set wins; what it merely inherited from this process does not override the host's own
        // variables (a CA bundle variable of the Cloister process must not replace the sandbox's bundle).
        foreach (var (key, value) in start.Environment)
        {
            if (!placed.Environment.ContainsKey(key) || !string.Equals(value, Environment.GetEnvironmentVariable(key), StringComparison.Ordinal))
            {
                placed.Environment[key] = value;
            }
        }

        var process = Process.Start(placed) ?? throw new FabricException($"Could not start {start.FileName}.");
        Log.ProcessPlaced(_logger, start.FileName, host.Namespace, process.Id);
        return process;
    }

    /// <summary>
    /// The host a process with <paramref name="placement"/> runs as: for a VPC placement, a function network interface
    /// in one of its subnets with its security groups (one of them at random when several match); otherwise the
    /// place of functions that are not in a VPC.
    /// </summary>
    public HostPlan HostFor(ProcessPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.SubnetIds.IsDefaultOrEmpty)
        {
            return _plan.Hosts.First(h => h.Kind == HostKind.PublicFunction);
        }

        var groups = placement.SecurityGroupIds.IsDefaultOrEmpty ? string.Empty : string.Join(',', placement.SecurityGroupIds.Order(StringComparer.Ordinal));
        var candidates = _plan.Hosts
            .Where(h => h.Kind == HostKind.FunctionInterface && h.SubnetId is not null && placement.SubnetIds.Contains(h.SubnetId))
            .Where(h => groups.Length == 0 || string.Join(',', h.SecurityGroupIds.Order(StringComparer.Ordinal)) == groups)
            .ToList();
        return candidates.Count > 0
            ? candidates[Random.Shared.Next(candidates.Count)]
            : throw new FabricException($"No function network interface in subnets {string.Join(", ", placement.SubnetIds)}: the model's functions declare the VPC configurations to place.");
    }
}
