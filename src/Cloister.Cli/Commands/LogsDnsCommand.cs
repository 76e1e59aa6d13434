using System.CommandLine;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister logs dns [--follow]</c>: the Route 53 Resolver query logs, one JSON line per query, as the
/// running stack writes them under <see cref="StatePaths.DnsLogs"/> (one file per query logging configuration).
/// </summary>
internal static class LogsDnsCommand
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Creates the <c>dns</c> verb of <c>logs</c>; <paramref name="state"/> overrides where state lives (tests).</summary>
    public static Command Create(Func<StatePaths>? state = null)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing queries as they are logged, until interrupted." };
        var allRuns = LogTail.AllRunsOption();
        var command = new Command("dns", "Print Route 53 Resolver query logs (JSON lines, Route 53's format) of the running stacks, or of the last run, in time order.") { follow, allRuns };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = (state ?? (() => StatePaths.FromEnvironment()))();
            var folder = paths.DnsLogs;
            var output = parse.InvocationConfiguration.Output;
            if (!HasLogFiles(folder))
            {
                if (!parse.GetValue(follow))
                {
                    return await LogsCommand.NothingToPrintAsync("dns", paths, NoLogs(folder), noneAtAll: true, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
                }

                await LogsCommand.WaitingAsync(parse.InvocationConfiguration.Error, NoLogs(folder)).ConfigureAwait(false);
            }

            var since = LogTail.Since(paths, parse.GetValue(allRuns));
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            var (printed, older) = await PrintNewLinesAsync(folder, positions, since, output, cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(follow))
            {
                await LogsCommand.OnlyOlderRunsAsync("dns", "query log lines", printed, older, since, parse.InvocationConfiguration.Error).ConfigureAwait(false);
                return 0;
            }

            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(FollowInterval, cancellationToken).ConfigureAwait(false);
                    await PrintNewLinesAsync(folder, positions, since, output, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Why there is nothing to print: a stack writes a log file only for a query logging configuration associated
    /// with a VPC, so a template without one (or no stack up yet in this home) has none.
    /// </summary>
    private static string NoLogs(string folder) =>
        $"No Route 53 Resolver query logs under {folder}: the stack has no AWS::Route53Resolver::ResolverQueryLoggingConfig " +
        "with an AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation to a VPC, or no stack has been up in this home.";

    private static bool HasLogFiles(string folder) => Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.log").Any();

    /// <summary>
    /// Prints the complete lines appended to each log file since <paramref name="positions"/> was last updated, every
    /// file's merged by <c>query_timestamp</c>, without those before <paramref name="since"/> (<see cref="LogTail"/>).
    /// </summary>
    internal static Task<(int Printed, int Older)> PrintNewLinesAsync(string folder, Dictionary<string, long> positions, long? since, TextWriter output, CancellationToken cancellationToken) =>
        LogTail.PrintNewLinesAsync(
            Directory.Exists(folder) ? Directory.GetFiles(folder, "*.log").Order(StringComparer.Ordinal) : [],
            positions,
            line => LogTail.JsonTime(line, "query_timestamp"),
            since,
            (_, line) => line,
            output,
            cancellationToken);
}
