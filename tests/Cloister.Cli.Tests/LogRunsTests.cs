using System.CommandLine;
using System.Globalization;
using Cloister.Cli.Commands;
using Cloister.Model;

namespace Cloister.Cli.Tests;

/// <summary>
/// The <c>logs</c> verbs over files that several runs wrote (the files outlive <c>down</c>, and a stack brought up again
/// appends to its own): by default only the running or last run's lines, every file's merged in time.
/// </summary>
public sealed class LogRunsTests : IDisposable
{
    private static readonly DateTimeOffset RunBegan = new(2026, 11, 25, 6, 40, 0, 500, TimeSpan.Zero);

    private readonly StatePaths _state = new(Path.Combine(Path.GetTempPath(), "cloister-cli-runs-" + Guid.NewGuid().ToString("N")));

    public void Dispose()
    {
        if (Directory.Exists(_state.Root))
        {
            Directory.Delete(_state.Root, recursive: true);
        }
    }

    [Fact]
    public async Task LogsDns_EarlierRunsFiles_PrintsOnlyThisRunsQueriesInTimeOrder()
    {
        // Before: every file whole, one after the other, the stack taken down before (eu-central-1) first and last.
        Directory.CreateDirectory(_state.DnsLogs);
        await File.WriteAllTextAsync(Path.Combine(_state.DnsLogs, "rslvr-qlc-0ld.log"), Query(-3600, "old-1") + Query(-1800, "old-2"));
        await File.WriteAllTextAsync(Path.Combine(_state.DnsLogs, "rslvr-qlc-a.log"), Query(1, "a-1") + Query(3, "a-3"));
        await File.WriteAllTextAsync(Path.Combine(_state.DnsLogs, "rslvr-qlc-b.log"), Query(2, "b-2") + Query(5, "b-5"));
        LogTail.BeginRun(_state, RunBegan);

        var (exitCode, output, error) = await RunAsync(LogsDnsCommand.Create(() => _state), "dns");
        var (allExitCode, all, _) = await RunAsync(LogsDnsCommand.Create(() => _state), "dns", "--all-runs");

        Assert.Equal((0, string.Empty), (exitCode, error));
        Assert.Equal(["a-1", "b-2", "a-3", "b-5"], Names(output));
        Assert.Equal(0, allExitCode);
        Assert.Equal(["old-1", "old-2", "a-1", "b-2", "a-3", "b-5"], Names(all));
    }

    [Fact]
    public async Task LogsAccess_StagesOfThisAndEarlierRuns_LastLineIsTheNewestRequest()
    {
        // Before: stage after stage, so `logs access | tail -n 1` was the last line of the last file, not the newest
        // request; and the lines an earlier run of the same stack appended to the file came first.
        Directory.CreateDirectory(_state.AccessLogs);
        await File.WriteAllTextAsync(Path.Combine(_state.AccessLogs, "a1b2c3d4e5_dev.log"), Clf(-600, "/old") + Clf(1, "/first") + Clf(4, "/newest"));
        await File.WriteAllTextAsync(Path.Combine(_state.AccessLogs, "zzzzzzzzzz_prod.log"), Json(2, "/second") + Json(3, "/third"));
        LogTail.BeginRun(_state, RunBegan);

        var (exitCode, output, _) = await RunAsync(LogsAccessCommand.Create(() => _state), "access");

        Assert.Equal(0, exitCode);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(["a1b2c3d4e5/dev", "zzzzzzzzzz/prod", "zzzzzzzzzz/prod", "a1b2c3d4e5/dev"], lines.Select(l => l.Split(' ')[0]));
        Assert.Equal(["/first", "/second", "/third", "/newest"], lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, "GET (\\S+)").Groups[1].Value));
    }

    [Fact]
    public async Task LogsDns_OnlyEarlierRunsLogged_SaysSoAndNamesAllRuns()
    {
        Directory.CreateDirectory(_state.DnsLogs);
        await File.WriteAllTextAsync(Path.Combine(_state.DnsLogs, "rslvr-qlc-0ld.log"), Query(-60, "old-1") + Query(-30, "old-2"));
        LogTail.BeginRun(_state, RunBegan);

        var (exitCode, output, error) = await RunAsync(LogsDnsCommand.Create(() => _state), "dns");

        Assert.Equal(0, exitCode);
        Assert.Empty(output);
        Assert.Equal("cloister logs dns: no query log lines since the running (or last) stacks came up at 2026-11-25T06:40:00Z; --all-runs prints the 2 of earlier runs.\n", error);
    }

    private static string At(int seconds) => RunBegan.AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Query(int seconds, string name) =>
        $"{{\"version\":\"1.100000\",\"vpc_id\":\"vpc-1\",\"query_timestamp\":\"{At(seconds)}\",\"query_name\":\"{name}.example.\",\"query_type\":\"A\"}}\n";

    private static string Clf(int seconds, string path) =>
        $"10.0.1.5 - - [{RunBegan.AddSeconds(seconds).UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)} +0000] \"GET {path} HTTP/1.1\" 200 2 req-{seconds}\n";

    private static string Json(int seconds, string path) =>
        $"{{\"requestId\":\"req-{seconds}\",\"requestTimeEpoch\":{RunBegan.AddSeconds(seconds).ToUnixTimeMilliseconds()},\"request\":\"GET {path} HTTP/1.1\",\"status\":\"200\"}}\n";

    private static string[] Names(string output) =>
        [.. output.TrimEnd('\n').Split('\n').Select(l => l.Split("\"query_name\":\"")[1].Split('.')[0])];

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Command verb, params string[] args)
    {
        var root = new RootCommand { verb };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }
}
