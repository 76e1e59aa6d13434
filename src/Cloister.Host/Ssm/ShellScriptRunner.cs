using System.Diagnostics;
using System.Text;
using Cloister.Functions.Ssm;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;
using Cloister.Shared.Processes;

namespace Cloister.Host.Ssm;

/// <summary>
/// Runs an <c>AWS-RunShellScript</c> invocation on its instance as the agent's <c>aws:runShellScript</c> plugin does:
/// the commands written, one a line, to <c>_script.sh</c> in the invocation's orchestration folder, run by
/// <c>/bin/sh</c> as root on the instance's host (its network namespace, host name and resolv.conf, as user data
/// runs), from <c>workingDirectory</c> or that folder, as the leader of its own process group, which is killed after
/// <c>executionTimeout</c> (<c>TimedOut</c>) or when cancelled (<c>Cancelled</c>), both with the agent's exit code 137.
/// The first 24,000 characters of each output stream are kept.
/// </summary>
internal sealed class ShellScriptRunner(SandboxDescription sandbox, HostPlan host, string orchestrationFolder)
{
    /// <summary>The exit code amazon-ssm-agent reports on Linux for a script it stopped (time-out or cancellation): 128 + SIGKILL.</summary>
    public const int StoppedExitCode = 137;

    /// <summary>How long to wait for the script's group to appear, and for its output to close once it is killed.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    // The group's leader waits on its input, which the runner closes once it knows the group: a script that ends at
    // once can then not take its leader's process id with it (a background job it left would outlive the time-out).
    private const string Gated = "read -r gate; exec /bin/sh \"$0\"";

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

        // setsid makes the script's shell the leader of a process group of its own, as the agent's Setpgid does, so
        // that a time-out or a cancellation kills the group: everything the script started, also what its parent left.
        var start = HostCommand.StartInfo(sandbox, host, ["setsid", "/bin/sh", "-c", Gated, script]);
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
        var group = await ScriptGroupAsync(process, HostCommand.EntersInstance(sandbox, host)).ConfigureAwait(false);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = new StringBuilder();
        // The script has ended when its shell exited and nothing it started still holds its output open: the agent
        // waits for both (a background job that keeps the output runs into the execution time-out, as on AWS).
        var ended = Task.WhenAll(process.WaitForExitAsync(CancellationToken.None), KeepFirstAsync(process.StandardOutput, output), KeepFirstAsync(process.StandardError, error));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(command.ExecutionTimeoutSeconds));
        var stopped = false;
        try
        {
            await ended.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
            Native.SignalGroup(group, Native.SigKill);
            process.Kill(entireProcessTree: true);
            // What left the group (setsid) and keeps the output open is not waited for.
            await Task.WhenAny(ended, Task.Delay(KillGrace, CancellationToken.None)).ConfigureAwait(false);
        }

        string Kept(StringBuilder kept)
        {
            lock (kept)
            {
                return kept.ToString();
            }
        }

        var (stdout, stderr) = (Kept(output), Kept(error));
        if (stopped && cancellationToken.IsCancellationRequested)
        {
            // CancelCommand (or the agent stopping): the script and everything it started were killed.
            return new AgentResult("Cancelled", StoppedExitCode, stdout, stderr);
        }

        if (stopped)
        {
            return new AgentResult("TimedOut", StoppedExitCode, stdout, Appended(stderr, $"failed to run commands: exit status {StoppedExitCode}"));
        }

        var code = process.ExitCode;
        return code == 0
            ? new AgentResult("Success", 0, stdout, stderr)
            : new AgentResult("Failed", code, stdout, Appended(stderr, $"failed to run commands: exit status {code}"));
    }

    /// <summary>
    /// The process group of the script's shell: on an instance, the child <c>nsenter</c> forks into its PID namespace
    /// (the rest of the command line execs in it, up to <c>setsid</c>); else the started process itself.
    /// </summary>
    private static async Task<int> ScriptGroupAsync(Process process, bool forked)
    {
        var deadline = Stopwatch.StartNew();
        while (forked && deadline.Elapsed < KillGrace)
        {
            if (ProcChildren.FirstOf(process.Id) is { } child)
            {
                return child;
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return process.Id;
    }

    /// <summary>The agent's own line after the script's error output, on a line of its own.</summary>
    private static string Appended(string error, string line) =>
        error.Length == 0 || error.EndsWith('\n') ? error + line : error + "\n" + line;

    /// <summary>The first 24,000 characters of a stream into <paramref name="kept"/>, read to its end so the script never blocks on a full pipe.</summary>
    private static async Task KeepFirstAsync(StreamReader reader, StringBuilder kept)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (kept)
            {
                var room = SsmAgentClient.MaxOutput - kept.Length;
                if (room > 0)
                {
                    kept.Append(buffer, 0, Math.Min(room, read));
                }
            }
        }
    }
}
