using System.Diagnostics;

namespace Cloister.Cli.Tests.Commands;

/// <summary><c>cloister down</c> as its own process against a fresh state folder.</summary>
public sealed class DownCommandTests
{
    [Fact(Timeout = 120_000)]
    public async Task Down_HostRunningButNotAnswering_StopsItAndSaysLeftoversRemoved()
    {
        // A host whose up was killed before its control socket existed: nothing answers, so down used to report
        // "Nothing is running." and leave the host to go on building the sandbox. A look-alike stands in for it: a
        // process with the host's verb among its arguments, started with this state folder as CLOISTER_HOME.
        await using var cli = new CliProcess();
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done", "cloister-host", "cloister", "__host" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLOISTER_HOME"] = cli.State.Root;
        using var orphan = Process.Start(start)!;

        var (exitCode, output, error) = await cli.RunAsync("down");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Removed the leftovers of a stack host that is no longer running.", output, StringComparison.Ordinal);
        Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)), "the orphaned host still runs after down");
    }
}
