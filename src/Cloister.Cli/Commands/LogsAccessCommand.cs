using System.CommandLine;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister logs access [NAME] [--follow]</c>: API Gateway access log lines, one file per API and stage
/// under <see cref="StatePaths.AccessLogs"/>. NAME is an API id, <c>{apiId}/{stage}</c> or <c>{apiId}_{stage}</c>;
/// without it every stage's log is shown, each line prefixed with its API and stage.
/// </summary>
internal static class LogsAccessCommand
{
    /// <summary>Creates the verb; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(Func<StatePaths>? state = null)
    {
        state ??= () => StatePaths.FromEnvironment();
        var name = new Argument<string?>("name") { Description = "An API id, or API id and stage as {apiId}/{stage}.", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as requests arrive, until interrupted." };
        var command = new Command("access", "Print API Gateway access log lines (the stages' $context formats).") { name, follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var folder = state().AccessLogs;
            var files = Select(folder, parse.GetValue(name));
            if (files.Count == 0)
            {
                if (!parse.GetValue(follow))
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync(NoLogs(folder, parse.GetValue(name))).ConfigureAwait(false);
                    return 1;
                }

                await LogsCommand.WaitingAsync(parse.InvocationConfiguration.Error, NoLogs(folder, parse.GetValue(name))).ConfigureAwait(false);
            }

            var prefix = parse.GetValue(name) is null;
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            do
            {
                foreach (var file in Select(folder, parse.GetValue(name)))
                {
                    positions[file] = await PrintNewLinesAsync(file, positions.GetValueOrDefault(file), prefix ? Path.GetFileNameWithoutExtension(file) + " " : string.Empty, output, cancellationToken).ConfigureAwait(false);
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
        // File names are {apiId}_{stage}: API ids have no '_', stage names may.
        var others = Select(folder, null).Select(f => Path.GetFileNameWithoutExtension(f)).Select(n => n.IndexOf('_', StringComparison.Ordinal) is var i and > 0 ? $"{n[..i]}/{n[(i + 1)..]}" : n).ToList();
        return (name, others.Count) switch
        {
            (null, _) => $"No access logs under {folder}.",
            (_, 0) => $"No access logs of {name} under {folder}.",
            _ => $"No access logs of {name} under {folder}; there are logs of {string.Join(", ", others)}.",
        };
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
