using System.Diagnostics;
using System.Text;
using Cloister.Functions.Ssm;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Host.Ssm;

/// <summary>
/// Runs an <c>AWS-RunShellScript</c> invocation on its instance as the agent's <c>aws:runShellScript</c> plugin does:
/// the commands written, one a line, to <c>_script.sh</c> in the invocation's orchestration folder, run by
/// <c>/bin/sh</c> as root on the instance's host (its network namespace, host name and resolv.conf, as user data
/// runs), from <c>workingDirectory</c> or that folder, killed with everything it started after
/// <c>executionTimeout</c> (<c>TimedOut</c>) or when cancelled (<c>Cancelled</c>). The first 24,000 characters of each
/// output stream are kept.
/// </summary>
internal sealed class ShellScriptRunner(SandboxDescription sandbox, HostPlan host, string orchestrationFolder)
{
    private static readonly KeyValuePair<string, string>[] BaseEnvironment =
    [
        KeyValuePair.Create("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        KeyValuePair.Create("HOME", "/root"),
        KeyValuePair.Create("LANG", "C.UTF-8"),
    ];

    public async Task<AgentResult> RunAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(orchestrationFolder, command.CommandId, "awsrunShellScript", "0.awsrunShellScript");
        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, "_script.sh");
        await File.WriteAllTextAsync(script, string.Join('\n', command.Commands) + "\n", cancellationToken).ConfigureAwait(false);
        var workingDirectory = command.WorkingDirectory ?? folder;
        if (!Directory.Exists(workingDirectory))
        {
            return new AgentResult("Failed", 1, string.Empty, $"Invalid workingDirectory {workingDirectory}, directory doesn't exist.");
        }

        var start = HostCommand.StartInfo(sandbox, host, ["/bin/sh", script]);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.Environment.Clear();
        foreach (var (name, value) in BaseEnvironment.Concat(HostCommand.Environment(sandbox)))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the script.");
        process.StandardInput.Close();
        var output = KeepFirstAsync(process.StandardOutput);
        var error = KeepFirstAsync(process.StandardError);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(command.ExecutionTimeoutSeconds));
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var (stdout, stderr) = (await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        if (cancellationToken.IsCancellationRequested)
        {
            // CancelCommand (or the agent stopping): the script and everything it started were killed.
            return new AgentResult("Cancelled", -1, stdout, stderr);
        }

        if (timedOut)
        {
            return new AgentResult("TimedOut", -1, stdout, Appended(stderr, "failed to run commands: exit status -1\nCommand execution timed out."));
        }

        var code = process.ExitCode;
        return code == 0
            ? new AgentResult("Success", 0, stdout, stderr)
            : new AgentResult("Failed", code, stdout, Appended(stderr, $"failed to run commands: exit status {code}"));
    }

    /// <summary>The agent's own line after the script's error output, on a line of its own.</summary>
    private static string Appended(string error, string line) =>
        error.Length == 0 || error.EndsWith('\n') ? error + line : error + "\n" + line;

    /// <summary>The first 24,000 characters of a stream, read to its end so the script never blocks on a full pipe.</summary>
    private static async Task<string> KeepFirstAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var room = SsmAgentClient.MaxOutput - kept.Length;
            if (room > 0)
            {
                kept.Append(buffer, 0, Math.Min(room, read));
            }
        }

        return kept.ToString();
    }
}
