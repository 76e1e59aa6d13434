using System.Diagnostics;
using System.Globalization;
using Cloister.Host;

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

    [Fact(Timeout = 300_000)]
    public async Task Status_HostKilled_SaysItsSandboxIsLeftAndDownRemovesIt()
    {
        // Before: "no stacks are running; start them with cloister up", while the killed host's namespaces and the
        // processes in them (an on-premises dnsmasq, functions) went on, and exec still ran in them.
        await using var cli = new CliProcess();
        var template = cli.WriteFile("stack.yaml", SmallStack.Template);
        var up = await cli.RunAsync("up", "--detach", "--region", "eu-central-1", template);
        Assert.True(up.ExitCode == 0, up.Error);
        using (var host = Process.GetProcessById(int.Parse(await File.ReadAllTextAsync(HostRunner.PidPath(cli.State)), CultureInfo.InvariantCulture)))
        {
            host.Kill();
            await host.WaitForExitAsync();
        }

        var status = await cli.RunAsync("status");
        var outputs = await cli.RunAsync("outputs");

        var expected = $"the stack host of {cli.State.Root} is no longer running (it crashed or was killed) and left its sandbox behind; ./cloister down removes it.";
        Assert.Equal((3, $"cloister status: {expected}"), (status.ExitCode, status.Error.Trim()));
        Assert.Equal((3, $"cloister outputs: {expected}"), (outputs.ExitCode, outputs.Error.Trim()));
        Assert.NotEmpty(await cli.LeftoversAsync());
        var down = await cli.RunAsync("down");
        Assert.Contains("Removed the leftovers of a stack host that is no longer running.", down.Output, StringComparison.Ordinal);
        Assert.Empty(await cli.LeftoversAsync());
        Assert.Contains("no stacks are running", (await cli.RunAsync("status")).Error, StringComparison.Ordinal);
    }
}
