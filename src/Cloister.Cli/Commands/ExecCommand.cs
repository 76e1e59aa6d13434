using System.CommandLine;
using System.Diagnostics;
using Cloister.Model;
using Cloister.Network.Runtime;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister exec --from HOST -- CMD...</c>: runs CMD as if on HOST; exit code and output are CMD's.</summary>
internal static class ExecCommand
{
    /// <summary>What <c>exec</c> takes, printed when its arguments are wrong.</summary>
    public const string Usage = "usage: cloister exec --from HOST -- CMD [ARG...]";

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Required. " + SandboxLookup.HostDescription };
        var command = new Argument<string[]>("command") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.ZeroOrMore };
        var verb = new Command("exec", "Run a command as if on a host of the sandbox (its network, DNS, host name and CA bundle): cloister exec --from HOST -- CMD [ARG...]. The exit code is CMD's; 2 when the arguments or HOST are wrong.") { from, command };
        verb.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var argv = parse.GetValue(command) ?? [];
            var name = parse.GetValue(from);
            var problem = (string.IsNullOrEmpty(name), argv.Length) switch
            {
                (true, _) => SandboxLookup.FromRequired,
                (_, 0) => $"no command: give it after --, as in cloister exec --from {name} -- curl -s URL.",
                _ => null,
            };
            if (problem is not null)
            {
                error.WriteLine($"cloister exec: {problem}");
                error.WriteLine(Usage);
                return CliApplication.BadArgumentsExitCode;
            }

            if (!SandboxLookup.TryFindHost(StatePaths.FromEnvironment(), "exec", name!, error, out var exitCode, out var sandbox, out var host))
            {
                return exitCode;
            }

            var start = HostCommand.StartInfo(sandbox, host, argv);
            using var process = Process.Start(start);
            if (process is null)
            {
                error.WriteLine($"cloister exec: could not start {argv[0]}");
                return 127;
            }

            process.WaitForExit();
            return process.ExitCode;
        });
        return verb;
    }
}
