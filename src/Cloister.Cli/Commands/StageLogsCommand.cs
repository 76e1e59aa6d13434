using System.CommandLine;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// What <c>cloister logs access</c> and <c>cloister logs execution</c> share: API Gateway logs kept as one file per API
/// and stage, <c>{apiId}_{stage}.log</c>. NAME is an API id, <c>{apiId}/{stage}</c> or <c>{apiId}_{stage}</c> (or the
/// kind's log group name); without it every stage's log is shown, each line after its <c>{apiId}/{stage}</c>, as
/// <c>aws logs tail</c> puts the log stream before each event of a group's several streams. A NAME that is no API id or
/// stage (<c>*</c>, a path) is refused (exit 2) rather than read as a file pattern: <c>aws logs tail</c> takes one log
/// group, no wildcard either.
/// </summary>
internal static class StageLogsCommand
{
    /// <summary>Creates the verb of <paramref name="kind"/>; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(StageLogKind kind, Func<StatePaths>? state = null)
    {
        state ??= () => StatePaths.FromEnvironment();
        var name = new Argument<string?>("name") { Description = kind.NameDescription, Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as requests arrive, until interrupted." };
        var allRuns = LogTail.AllRunsOption();
        var command = new Command(kind.Verb, kind.Description) { name, follow, allRuns };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var given = parse.GetValue(name);
            if (given is not null && !IsApiOrStage(kind.StageOf(given)))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"cloister logs {kind.Verb}: '{given}' is no API id or {{apiId}}/{{stage}}; leave NAME out to print every API's and stage's {kind.What}, each line after its {{apiId}}/{{stage}}.").ConfigureAwait(false);
                return CliApplication.BadArgumentsExitCode;
            }

            var stage = given is null ? null : kind.StageOf(given);
            var paths = state();
            var folder = kind.Folder(paths);
            if (Select(folder, stage).Count == 0)
            {
                if (!parse.GetValue(follow))
                {
                    var noneAtAll = Select(folder, null).Count == 0;
                    var why = given is null ? await NoneWrittenAsync(kind, paths, folder, cancellationToken).ConfigureAwait(false) : string.Empty;
                    return await LogsCommand.NothingToPrintAsync(kind.Verb, paths, NoLogs(kind, folder, given) + why, noneAtAll, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
                }

                await LogsCommand.WaitingAsync(parse.InvocationConfiguration.Error, NoLogs(kind, folder, given)).ConfigureAwait(false);
            }

            var since = LogTail.Since(paths, parse.GetValue(allRuns));
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            var (printed, older) = await PrintNewLinesAsync(kind, folder, stage, given is null, positions, since, output, cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(follow))
            {
                if (printed == 0 && given is null && await NoneWrittenAsync(kind, paths, folder, cancellationToken).ConfigureAwait(false) is { Length: > 0 } why)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"cloister logs {kind.Verb}:{why}").ConfigureAwait(false);
                }

                await LogsCommand.OnlyOlderRunsAsync(kind.Verb, kind.What + " lines", printed, older, since, parse.InvocationConfiguration.Error).ConfigureAwait(false);
                return 0;
            }

            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
                    await PrintNewLinesAsync(kind, folder, stage, given is null, positions, since, output, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    /// <summary>Why nothing is printed: no logs of the kind at all, or none of <paramref name="name"/>, with the APIs and stages that have some.</summary>
    private static string NoLogs(StageLogKind kind, string folder, string? name)
    {
        var others = Select(folder, null).Select(Label).ToList();
        return (name, others.Count) switch
        {
            (null, _) => $"No {kind.What}s under {folder}.",
            (_, 0) => $"No {kind.What}s of {name} under {folder}.",
            _ => $"No {kind.What}s of {name} under {folder}; there are logs of {string.Join(", ", others)}.",
        };
    }

    /// <summary>
    /// When stacks are ready and none of their APIs has a log of <paramref name="kind"/>: the sentence saying so and what
    /// makes a stage write one; else empty. Without it a stack whose stages log nothing heard only "no access log lines
    /// since the running stacks came up; --all-runs prints the 7 of earlier runs", as if its requests had not arrived yet.
    /// </summary>
    private static async Task<string> NoneWrittenAsync(StageLogKind kind, StatePaths paths, string folder, CancellationToken cancellationToken)
    {
        var (status, _, _) = await StackChannel.ReadyStatusAsync(paths, cancellationToken).ConfigureAwait(false);
        var apis = status?.Stacks.SelectMany(s => s.Resources).Where(r => r.ResourceType == "AWS::ApiGateway::RestApi").Select(r => r.PhysicalResourceId).ToList() ?? [];
        return apis.Count == 0 || apis.Any(api => Select(folder, api).Count > 0)
            ? string.Empty
            : $" No stage of the running stacks' API(s) {string.Join(", ", apis)} writes {kind.What}s; that takes {kind.Setting}.";
    }

    /// <summary>
    /// The <c>{apiId}/{stage}</c> of a log file, as NAME takes it. File names are <c>{apiId}_{stage}</c>: API ids have
    /// no '_', stage names may.
    /// </summary>
    private static string Label(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        return name.IndexOf('_', StringComparison.Ordinal) is var i and > 0 ? $"{name[..i]}/{name[(i + 1)..]}" : name;
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be an API id or <c>{apiId}/{stage}</c> (or <c>{apiId}_{stage}</c>): API
    /// Gateway's ids are letters and digits, its stage names letters, digits, '-' and '_'. Anything else ('*', '?',
    /// '..') would otherwise reach the file pattern.
    /// </summary>
    private static bool IsApiOrStage(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var api = slash < 0 ? name : name[..slash];
        var stage = slash < 0 ? null : name[(slash + 1)..];
        return api.Length > 0 && api.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            && (stage is null || (stage.Length is > 0 and <= 128 && stage.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')));
    }

    private static List<string> Select(string folder, string? name)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var pattern = name switch
        {
            null => "*.log",
            _ when name.Contains('/', StringComparison.Ordinal) || name.Contains('_', StringComparison.Ordinal) => name.Replace('/', '_') + ".log",
            _ => name + "_*.log",
        };
        var files = Directory.GetFiles(folder, pattern).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Prints the lines appended to the selected stages' files since <paramref name="positions"/> was last updated, merged
    /// in time, each after its <c>{apiId}/{stage}</c> when <paramref name="labelled"/> (<see cref="LogTail"/>).
    /// </summary>
    private static Task<(int Printed, int Older)> PrintNewLinesAsync(
        StageLogKind kind, string folder, string? stage, bool labelled, Dictionary<string, long> positions, long? since, TextWriter output, CancellationToken cancellationToken) =>
        LogTail.PrintNewLinesAsync(
            Select(folder, stage),
            positions,
            kind.TimeOf,
            since,
            (file, line) => labelled ? Label(file) + " " + kind.Format(line) : kind.Format(line),
            output,
            cancellationToken);
}
