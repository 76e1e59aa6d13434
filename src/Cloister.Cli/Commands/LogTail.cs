using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// What the <c>logs</c> verbs that read several files share (<c>dns</c>, <c>access</c>, <c>execution</c>): the lines
/// appended to the files since they were last read, merged in the time each line carries, and by default only those of
/// the current run. The files outlive <c>down</c> (as CloudWatch keeps a deleted stack's log groups) and a stack brought
/// up again appends to the same files, so without that the lines of stacks long gone came first, file after file.
/// </summary>
internal static class LogTail
{
    /// <summary>The option that prints the earlier runs' lines too.</summary>
    public static Option<bool> AllRunsOption() => new("--all-runs")
    {
        Description = "Also print the lines of earlier runs (stacks taken down before the running or last one came up), which the files keep. By default only the running stacks' lines are printed, or with none running the last run's.",
    };

    /// <summary>The file <c>up</c> writes when it starts the stacks: when the run began.</summary>
    public static string RunStartedPath(StatePaths state) => Path.Combine(state.Runtime, "run-started");

    /// <summary>Records that a run began at <paramref name="at"/> (<c>up</c> does, before the host starts).</summary>
    public static void BeginRun(StatePaths state, DateTimeOffset at)
    {
        Directory.CreateDirectory(state.Runtime);
        File.WriteAllText(RunStartedPath(state), at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>
    /// Since when the current run's lines are printed, in Unix milliseconds: the start of the second the running (or last)
    /// run began, as access logs give their times to the second; null when every line is printed (<c>--all-runs</c>, or
    /// no run recorded).
    /// </summary>
    public static long? Since(StatePaths state, bool allRuns)
    {
        if (allRuns)
        {
            return null;
        }

        try
        {
            return DateTimeOffset.TryParse(File.ReadAllText(RunStartedPath(state)).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUnixTimeSeconds() * 1000
                : null;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Prints the complete lines appended to <paramref name="files"/> since <paramref name="positions"/> was last updated,
    /// merged in time (<paramref name="timeOf"/>; a line without a time of its own takes the previous line's of its file,
    /// and with none keeps its place: ties stay in file and line order), each as <paramref name="format"/> makes it
    /// from the file and the line; without those before <paramref name="since"/> (a line with no time is kept when its
    /// file was written since). How many lines it printed and how many it left out as older.
    /// </summary>
    public static async Task<(int Printed, int Older)> PrintNewLinesAsync(
        IEnumerable<string> files,
        Dictionary<string, long> positions,
        Func<string, long?> timeOf,
        long? since,
        Func<string, string, string> format,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        var lines = new List<(long Time, string File, string Line)>();
        var older = 0;
        foreach (var file in files)
        {
            var (next, text) = await ReadCompleteLinesAsync(file, positions.GetValueOrDefault(file), cancellationToken).ConfigureAwait(false);
            positions[file] = next;
            if (text.Length == 0)
            {
                continue;
            }

            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeMilliseconds();
            long? previous = null;
            foreach (var line in text[..^1].Split('\n'))
            {
                previous = timeOf(line) ?? previous;
                if (since is { } from && (previous ?? written) < from)
                {
                    older++;
                    continue;
                }

                lines.Add((previous ?? long.MinValue, file, line));
            }
        }

        // A stable sort: lines of one time stay in the order of their files and within them.
        foreach (var (_, file, line) in lines.OrderBy(l => l.Time))
        {
            await output.WriteLineAsync(format(file, line)).ConfigureAwait(false);
        }

        return (lines.Count, older);
    }

    /// <summary>The JSON string property <paramref name="name"/> of a JSON line as a time, in Unix milliseconds; null when it has none.</summary>
    public static long? JsonTime(string line, string name)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt64(out var milliseconds) => milliseconds,
                JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) => milliseconds,
                JsonValueKind.String when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at.ToUnixTimeMilliseconds(),
                JsonValueKind.String when AccessLogTime.ClfTime(value.GetString()!) is { } at => at,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The text of the whole lines of <paramref name="file"/> after <paramref name="position"/> (empty when none, or
    /// the file is gone; read from the start when the file is now shorter, as it was replaced), and the position after them.
    /// </summary>
    private static async Task<(long Next, string Text)> ReadCompleteLinesAsync(string file, long position, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using (stream.ConfigureAwait(false))
            {
                var start = stream.Length < position ? 0 : position;
                if (stream.Length == start)
                {
                    return (start, string.Empty);
                }

                stream.Seek(start, SeekOrigin.Begin);
                var buffer = new byte[stream.Length - start];
                await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                var end = Array.LastIndexOf(buffer, (byte)'\n');
                return end < 0 ? (start, string.Empty) : (start + end + 1, Encoding.UTF8.GetString(buffer, 0, end + 1));
            }
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return (position, string.Empty);
        }
    }
}
