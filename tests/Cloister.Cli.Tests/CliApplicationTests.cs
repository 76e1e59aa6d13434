namespace Cloister.Cli.Tests;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task RunAsync_Version_PrintsVersionAndRuntime()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^cloister \d+\.\d+\.\d+ \(\.NET \d+\.\d+\.\d+\)", output);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryVerb()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var verb in CliApplication.Build().Subcommands.Where(c => !c.Hidden).Select(c => c.Name))
        {
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_UnknownVerb_FailsWithError()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("teleport");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("teleport", error, StringComparison.Ordinal);
    }
}
