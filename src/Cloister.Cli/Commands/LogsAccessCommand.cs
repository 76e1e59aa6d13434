using System.CommandLine;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister logs access [NAME] [--follow]</c>: API Gateway access log lines, one file per API and stage
/// under <see cref="StatePaths.AccessLogs"/>. NAME is an API id, <c>{apiId}/{stage}</c> or <c>{apiId}_{stage}</c>;
/// without it every stage's log is shown, each line after its <c>{apiId}/{stage}</c>, as <c>aws logs tail</c> puts the
/// log stream before each event of a group's several streams. A NAME that is no API id or stage (<c>*</c>, a path) is
/// refused (exit 2) rather than read as a file pattern: <c>aws logs tail</c> takes one log group, no wildcard either.
/// </summary>
internal static class LogsAccessCommand
{
    /// <summary>Creates the verb; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(Func<StatePaths>? state = null)
    {
        state ??= () => StatePaths.FromEnvironment();
        var name = new Argument<string?>("name")
        {
            Description = "An API id (every stage of it), or API id and stage as {apiId}/{stage}. Leave it out for every API and stage, each line after its {apiId}/{stage}.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as requests arrive, until interrupted." };
        var command = new Command("access", "Print API Gateway access log lines (the stages' $context formats).") { name, follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(name) is { } given && !IsApiOrStage(given))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"cloister logs access: '{given}' is no API id or {{apiId}}/{{stage}}; leave NAME out to print every API's and stage's access log, each line after its {{apiId}}/{{stage}}.").ConfigureAwait(false);
                return CliApplication.BadArgumentsExitCode;
            }

            var paths = state();
            var folder = paths.AccessLogs;
            var files = Select(folder, parse.GetValue(name));
            if (files.Count == 0)
            {
                if (!parse.GetValue(follow))
                {
                    var noneAtAll = Select(folder, null).Count == 0;
                    return await LogsCommand.NothingToPrintAsync("access", paths, NoLogs(folder, parse.GetValue(name)), noneAtAll, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
                }

                await LogsCommand.WaitingAsync(parse.InvocationConfiguration.Error, NoLogs(folder, parse.GetValue(name))).ConfigureAwait(false);
            }

            var prefix = parse.GetValue(name) is null;
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            do
            {
                foreach (var file in Select(folder, parse.GetValue(name)))
                {
                    positions[file] = await PrintNewLinesAsync(file, positions.GetValueOrDefault(file), prefix ? Label(file) + " " : string.Empty, output, cancellationToken).ConfigureAwait(false);
                }

                if (!parse.GetValue(follow))
                {
                    break;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (!cancellationToken.IsCancellationRequested);

            return 0;
        });
        return command;
    }

    /// <summary>Why nothing is printed: no access logs at all, or none of <paramref name="name"/>, with the APIs and stages that have some.</summary>
    private static string NoLogs(string folder, string? name)
    {
        var others = Select(folder, null).Select(Label).ToList();
        return (name, others.Count) switch
        {
            (null, _) => $"No access logs under {folder}.",
            (_, 0) => $"No access logs of {name} under {folder}.",
            _ => $"No access logs of {name} under {folder}; there are logs of {string.Join(", ", others)}.",
        };
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

    /// <summary>Prints whole lines after <paramref name="position"/>; returns the position after the last whole line.</summary>
    private static async Task<long> PrintNewLinesAsync(string file, long position, string prefix, TextWriter output, CancellationToken cancellationToken)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length <= position)
            {
                return stream.Length < position ? 0 : position;
            }

            stream.Seek(position, SeekOrigin.Begin);
            var buffer = new byte[stream.Length - position];
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            var end = Array.LastIndexOf(buffer, (byte)'\n');
            if (end < 0)
            {
                return position;
            }

            foreach (var line in System.Text.Encoding.UTF8.GetString(buffer, 0, end).Split('\n'))
            {
                await output.WriteLineAsync(prefix + line).ConfigureAwait(false);
            }

            return position + end + 1;
        }
    }
}
