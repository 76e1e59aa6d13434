using System.Diagnostics;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests;

/// <summary>Shell scripts run on a host as <c>cloister exec</c> runs them (<see cref="Sandbox.StartOn"/>).</summary>
public static class HostShell
{
    /// <summary>Runs <paramref name="script"/> with <c>sh -c</c> on <paramref name="host"/>: its exit code, and its output followed by its errors.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(Sandbox sandbox, HostPlan host, string script)
    {
        var start = new ProcessStartInfo("sh", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = sandbox.StartOn(host, start);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The instance id the metadata service gives <paramref name="host"/> over IMDSv2 (EC2's default), or curl's error.</summary>
    public static async Task<string> InstanceIdAsync(Sandbox sandbox, HostPlan host)
    {
        const string ImdsV2 = """
            t=$(curl -sS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
            curl -sS --max-time 5 -H "X-aws-ec2-metadata-token: $t" http://169.254.169.254/latest/meta-data/instance-id
            """;
        return (await RunAsync(sandbox, host, ImdsV2)).Output;
    }
}
