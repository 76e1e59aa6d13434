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

        await LogsDnsCommand.PrintNewLinesAsync(_root, positions, output, CancellationToken.None);
        await File.AppendAllTextAsync(file, "two\n");
        await LogsDnsCommand.PrintNewLinesAsync(_root, positions, output, CancellationToken.None);

        Assert.Equal("one\ntwo\n", output.ToString());
    }

    [Fact]
    public async Task Invoke_NoLogsYet_PrintsNothing()
    {
        var state = new StatePaths(_root);
        var root = new RootCommand { LogsDnsCommand.Create(() => state) };
        using var output = new StringWriter();

        Assert.Equal(0, await root.Parse(["dns"]).InvokeAsync(new InvocationConfiguration { Output = output }));
        Assert.Empty(output.ToString());
    }
}
