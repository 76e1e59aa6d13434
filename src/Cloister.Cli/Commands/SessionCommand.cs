using System.CommandLine;
using System.Diagnostics;
using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister session INSTANCE [-- CMD...]</c>: Session Manager's <c>start-session</c>. The instance must be a managed
/// node whose agent is online and has its control channel (its role allows it, and it reaches ssm and ssmmessages);
/// otherwise it is refused as the console refuses it. The session is a shell on the instance (<c>sh</c>, Session
/// Manager's default on Linux), or CMD as <c>AWS-StartInteractiveCommand</c> runs one; the exit code is its.
/// </summary>
internal static class SessionCommand
{
    /// <summary>What <c>session</c> takes, printed when its arguments are wrong.</summary>
    public const string Usage = "usage: cloister session INSTANCE [-- CMD [ARG...]]";

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var target = new Argument<string>("instance") { Description = "The instance: its logical id, Name tag, id (i-...) or address." };
        var command = new Argument<string[]>("command") { Description = "A command to run instead of the shell (after --).", Arity = ArgumentArity.ZeroOrMore };
        var verb = new Command("session", "Start a Session Manager session on an instance (aws ssm start-session): refused unless the instance is a managed node whose SSM Agent is online and connected (AmazonSSMManagedInstanceCore or equal, a path to ssm and ssmmessages); then a shell on it, as cloister exec gives. The exit code is the session's; 1 when refused, 2 when the arguments or the instance are wrong.") { target, command };
        verb.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(target)!;
            var argv = parse.GetValue(command) ?? [];
            var state = StatePaths.FromEnvironment();
            if (!SandboxLookup.TryFindHost(state, "session", name, error, out var exitCode, out var sandbox, out var host))
            {
                return exitCode;
            }

            if (host.Kind != HostKind.Instance)
            {
                error.WriteLine($"cloister session: {name} is not an EC2 instance; Session Manager connects to instances (cloister exec runs on any host).");
                error.WriteLine(Usage);
                return CliApplication.BadArgumentsExitCode;
            }

            var answer = await StackChannel.SendAsync(state, new ControlRequest("session", InstanceId: host.Id), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (answer is not { Ok: true })
            {
                error.WriteLine($"An error occurred (TargetNotConnected) when calling the StartSession operation: {host.Id} is not connected.");
                error.WriteLine($"cloister session: {(answer is null ? StackChannel.NotRunning(state) : StackChannel.Problem(state, answer))}");
                return StackChannel.ExitCodeOf(answer);
            }

            string[] session = argv.Length > 0 ? argv : ["sh"];
            var start = HostCommand.StartInfo(sandbox, host, Console.IsInputRedirected ? session : OnTerminal(session));
            if (!Console.IsInputRedirected)
            {
                // script runs the session through $SHELL -c; the session's own shell is sh, as Session Manager's.
                start.Environment["SHELL"] = "/bin/sh";
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                error.WriteLine($"cloister session: could not start the session on {host.Id}");
                return 127;
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode;
        });
        return verb;
    }

    /// <summary>
    /// <paramref name="argv"/> run on a terminal of the instance's own, as Session Manager allocates one for each session:
    /// <c>script</c>, started inside the instance's PID namespace, opens a pseudo-terminal, makes the command's process a
    /// session leader with it as controlling terminal, and relays between it and the user's terminal (raw, window size
    /// passed on), returning the command's exit code. Without it a shell found its terminal's foreground process group
    /// outside its PID namespace and said <c>sh: 2: Cannot set tty process group (No such process)</c>, and had no job
    /// control.
    /// </summary>
    internal static string[] OnTerminal(IReadOnlyList<string> argv) =>
        ["script", "--quiet", "--return", "--command", "exec " + string.Join(' ', argv.Select(ShellQuote)), "/dev/null"];

    private static string ShellQuote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
