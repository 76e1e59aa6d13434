namespace Cloister.Cli.Tests;

public sealed class NetworkCommandsTests
{
    [Theory]
    [InlineData("path")]
    [InlineData("path", "--from", "a1")]
    [InlineData("path", "--from", "a1", "--to", "b1:99999")]
    [InlineData("path", "--from", "a1", "--to", "b1:80", "--protocol", "icmp")]
    [InlineData("path", "--from", "a1", "--to", "b1:80", "extra")]
    [InlineData("path", "--from")]
    [InlineData("path", "--from", "a1", "--to")]
    [InlineData("path", "--from", "a1", "--to", "b1:80", "--bogus")]
    [InlineData("exec", "--from")]
    [InlineData("exec", "--from", "a1")]
    [InlineData("exec", "--", "true")]
    [InlineData("session")]
    public async Task RunAsync_NetworkVerbWithBadArguments_ExitsWithTwo(params string[] args)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: cloister", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("path", "--from is required: a host's logical id, Name tag, id or address, or a function's name.")]
    [InlineData("path --to b1", "--from is required: a host's logical id, Name tag, id or address, or a function's name.")]
    [InlineData("path --from a1", "--to is required: TARGET[:PORT], a host, an IP address or a DNS name.")]
    [InlineData("path --from a1 --to b1:99999", "--to 'b1:99999': the port must be a number from 1 to 65535.")]
    [InlineData("path --from a1 --to b1:http", "--to 'b1:http': the port must be a number from 1 to 65535.")]
    [InlineData("path --from a1 --to :80", "--to ':80': no target before the port.")]
    [InlineData("path --from a1 --to b1:80 --protocol icmp", "--protocol 'icmp': must be tcp or udp.")]
    [InlineData("exec --from a1", "no command: give it after --, as in cloister exec --from a1 -- curl -s URL.")]
    [InlineData("exec -- true", "--from is required: a host's logical id, Name tag, id or address, or a function's name.")]
    public async Task RunAsync_NetworkVerbWithBadArguments_SaysWhichAndWhyBeforeTheUsage(string args, string problem)
    {
        // Before, only the usage line: which argument was wrong, and why, was left to guess.
        var verb = args.Split(' ')[0];

        var (exitCode, _, error) = await CliRunner.RunAsync(args.Split(' '));

        Assert.Equal(2, exitCode);
        var lines = error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal($"cloister {verb}: {problem}", lines[0]);
        Assert.StartsWith($"usage: cloister {verb} ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PathHelp_ListsNoArgumentsItRefuses()
    {
        // Before: "Additional Arguments: Arguments passed to the application that is being run.", which path refuses.
        var (exitCode, output, _) = await CliRunner.RunAsync("path", "--help");

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("Additional Arguments", output, StringComparison.Ordinal);
        Assert.Matches(@"Usage:\n  \S+ path \[options\]\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task RunAsync_PathWithoutRunningSandbox_ExitsWithNotRunningAndSaysSo()
    {
        // The tests' working directory has no .cloister/runtime/sandbox.json. Before: exit 2, path's bad-arguments code.
        var (exitCode, _, error) = await CliRunner.RunAsync("path", "--from", "a1", "--to", "b1:80");

        Assert.Equal(CliApplication.NotRunningExitCode, exitCode);
        Assert.StartsWith("cloister path: ", error, StringComparison.Ordinal);
        Assert.Contains("./cloister up", error, StringComparison.Ordinal);
    }
}
