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
    public async Task RunAsync_NetworkVerbWithBadArguments_ExitsWithTwo(params string[] args)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: cloister", error, StringComparison.Ordinal);
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
    public async Task RunAsync_PathWithoutRunningSandbox_ExitsWithTwoAndSaysSo()
    {
        // The tests' working directory has no .cloister/runtime/sandbox.json.
        var (exitCode, _, error) = await CliRunner.RunAsync("path", "--from", "a1", "--to", "b1:80");

        Assert.Equal(2, exitCode);
        Assert.Contains("No sandbox is running", error, StringComparison.Ordinal);
    }
}
