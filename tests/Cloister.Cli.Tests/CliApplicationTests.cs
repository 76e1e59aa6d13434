namespace Cloister.Cli.Tests;

public sealed class CliApplicationTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RunAsync_Version_PrintsVersionAndRuntime()
    {
        var (exitCode, output, _) = await RunAsync("version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^cloister \d+\.\d+\.\d+ \(\.NET \d+\.\d+\.\d+\)", output);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryVerb()
    {
        var (exitCode, output, _) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var verb in CliApplication.Build().Subcommands.Select(c => c.Name))
        {
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_UnknownVerb_FailsWithError()
    {
        var (exitCode, _, error) = await RunAsync("teleport");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("teleport", error, StringComparison.Ordinal);
    }
}
