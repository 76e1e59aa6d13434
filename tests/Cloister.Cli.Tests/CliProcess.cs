using System.Diagnostics;
using System.Globalization;
using Cloister.Host;
using Cloister.Model;
using Cloister.Network;
using Cloister.Tests.Shared;

namespace Cloister.Cli.Tests;

/// <summary>
/// The real <c>cloister</c> command (the apphost built next to these tests) as its own process against one fresh state
/// folder, as a user runs it; disposing takes down whatever it still runs and removes the folder.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    public CliProcess() => State = new StatePaths(Directory.CreateTempSubdirectory("cloister-cli-").FullName);

    /// <summary>The state folder (<c>CLOISTER_HOME</c>).</summary>
    public StatePaths State { get; }

    /// <summary>Variables set for every command started after (an empty value leaves one unset in effect, as in a shell).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The sandbox prefix of <see cref="State"/>'s stacks.</summary>
    public string Prefix => SandboxOptions.ForState(State).Prefix;

    /// <summary>Writes <paramref name="text"/> to a file of the state folder (<paramref name="name"/> may name a subfolder); its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(State.Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// Starts <c>cloister ARGS</c>, its output and error redirected, with SIGINT's default action: a shell starting the
    /// tests in the background (<c>./test &amp;</c>, nohup) ignores SIGINT for them and every process after, and .NET
    /// keeps an inherited SIG_IGN, so the tests' Ctrl-C would not reach <c>up</c> (seen in a run started so). <c>env</c>
    /// execs cloister, so the process's id is cloister's.
    /// </summary>
    public Process Start(params string[] args)
    {
        var program = HostLauncher.CloisterProgram(AppContext.BaseDirectory);
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in ((string[])["--default-signal=INT", "--"]).Concat(program).Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["CLOISTER_HOME"] = State.Root;
        return Process.Start(start) ?? throw new InvalidOperationException("cloister did not start.");
    }

    /// <summary>Runs <c>cloister ARGS</c> to its end.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        return await FinishAsync(process, TimeSpan.FromMinutes(5), args);
    }

    /// <summary>Waits for a started command to end; its exit code and everything it wrote.</summary>
    public static Task<(int ExitCode, string Output, string Error)> FinishAsync(Process process, TimeSpan timeout, params string[] args) =>
        ProcessCompletion.FinishAsync(process, timeout, $"cloister {string.Join(' ', args)}");

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to <paramref name="process"/>, as Ctrl-C or kill would.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>What of the state folder's stacks is left: namespaces, control socket, host pid file, up lock.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        List<string> left = [.. await Sandbox.ListNamespacesAsync(Prefix)];
        left.AddRange(new[] { State.ControlSocket, HostRunner.PidPath(State), Path.Combine(State.Root, "up.lock") }.Where(File.Exists));
        return left;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("down");
        await Sandbox.CleanupAsync(Prefix);
        Directory.Delete(State.Root, recursive: true);
    }
}
