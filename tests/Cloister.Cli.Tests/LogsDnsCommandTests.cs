using System.CommandLine;
using Cloister.Cli.Commands;
using Cloister.Model;

namespace Cloister.Cli.Tests;

public sealed class LogsDnsCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-cli-logs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_LogFiles_PrintsEveryCompleteLine()
    {
        var state = new StatePaths(_root);
        Directory.CreateDirectory(state.DnsLogs);
        await File.WriteAllTextAsync(Path.Combine(state.DnsLogs, "rslvr-qlc-1.log"), "{\"query_name\":\"a.example.\"}\n{\"query_name\":\"b.example.\"}\n{\"partial\":");
        var root = new RootCommand { LogsDnsCommand.Create(() => state) };
        using var output = new StringWriter();

        var exitCode = await root.Parse(["dns"]).InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        Assert.Equal("{\"query_name\":\"a.example.\"}\n{\"query_name\":\"b.example.\"}\n", output.ToString());
    }

    [Fact]
    public async Task PrintNewLinesAsync_FileGrows_PrintsOnlyNewLines()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "q.log");
        await File.WriteAllTextAsync(file, "one\n");
        var positions = new Dictionary<string, long>();
        using var output = new StringWriter();

        await LogsDnsCommand.PrintNewLinesAsync(_root, positions, since: null, output, CancellationToken.None);
        await File.AppendAllTextAsync(file, "two\n");
        await LogsDnsCommand.PrintNewLinesAsync(_root, positions, since: null, output, CancellationToken.None);

        Assert.Equal("one\ntwo\n", output.ToString());
    }

    [Fact]
    public async Task Invoke_NoLogFiles_SaysSoOnErrorAndFails()
    {
        var state = new StatePaths(_root);
        var root = new RootCommand { LogsDnsCommand.Create(() => state) };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await root.Parse(["dns"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(CliApplication.NotRunningExitCode, exitCode);
        Assert.Empty(output.ToString());
        Assert.Contains($"No Route 53 Resolver query logs under {state.DnsLogs}", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_LogFileWithNoQueriesYet_PrintsNothingAndSucceeds()
    {
        var state = new StatePaths(_root);
        Directory.CreateDirectory(state.DnsLogs);
        await File.WriteAllTextAsync(Path.Combine(state.DnsLogs, "rslvr-qlc-1.log"), string.Empty);
        var root = new RootCommand { LogsDnsCommand.Create(() => state) };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await root.Parse(["dns"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(0, exitCode);
        Assert.Empty(output.ToString());
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task Invoke_FollowBeforeAnyLog_SaysOnErrorWhatItWaitsFor()
    {
        // Before, --follow with no log file yet waited without a word: a stack without query logging never writes one.
        var state = new StatePaths(_root);

        var (exitCode, output, error) = await FollowRun.UntilErrorAsync(LogsDnsCommand.Create(() => state), "dns", "--follow");

        Assert.Equal(0, exitCode);
        Assert.Empty(output);
        Assert.Contains($"No Route 53 Resolver query logs under {state.DnsLogs}", error, StringComparison.Ordinal);
        Assert.Contains("Waiting for them to be written (Ctrl-C stops).", error, StringComparison.Ordinal);
    }
}
