using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// Reads a log group's events from its files, as they are when asked: each call reads the files again, so what was
/// written since is seen (a sandbox's logs are small; nothing is indexed). A last line without its newline is still
/// being written and is left for the next read; a line that is not what its format says is skipped.
/// </summary>
internal static class LogFileReader
{
    /// <summary>
    /// Every event of <paramref name="group"/>, oldest first (ties in file and line order), but those
    /// <paramref name="hidden"/> says are gone (given the file, the byte offset where the event's line starts and its stream).
    /// </summary>
    public static List<LogEvent> Read(LogGroupSource group, Func<LogFileSource, long, string, bool>? hidden = null)
    {
        var events = new List<LogEvent>();
        for (var index = 0; index < group.Files.Length; index++)
        {
            ReadFile(group.Files[index], index, events, hidden);
        }

        // A stable sort: events of one time stay in the order they were written.
        return [.. events.OrderBy(e => e.Timestamp)];
    }

    /// <summary>How many bytes of <paramref name="path"/> are complete lines (up to its last newline); 0 when it is missing.</summary>
    public static long CompleteLength(string path)
    {
        var bytes = ReadAll(path, out _);
        return bytes is null ? 0 : bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
    }

    private static byte[]? ReadAll(string path, out DateTimeOffset written)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            written = File.GetLastWriteTimeUtc(path);
            return buffer.ToArray();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            written = default;
            return null;
        }
    }

    private static void ReadFile(LogFileSource file, int fileIndex, List<LogEvent> events, Func<LogFileSource, long, string, bool>? hidden)
    {
        if (ReadAll(file.Path, out var written) is not { } bytes)
        {
            return;
        }

        // Only complete lines: a last one without its newline is still being written.
        var complete = bytes.AsSpan(0, bytes.AsSpan().LastIndexOf((byte)'\n') + 1);
        var line = 0;
        var start = 0;
        while (start < complete.Length)
        {
            var length = complete[start..].IndexOf((byte)'\n');
            var raw = complete.Slice(start, length);
            var offset = start;
            start += length + 1;
            line++;
            if (raw.EndsWith("\r"u8))
            {
                raw = raw[..^1];
            }

            if (raw.IsEmpty)
            {
                continue;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{fileIndex:D4}{line:D16}");
            if (Parse(file, Encoding.UTF8.GetString(raw), written, id) is { } parsed && hidden?.Invoke(file, offset, parsed.StreamName) != true)
            {
                events.Add(parsed);
            }
        }
    }

    private static LogEvent? Parse(LogFileSource file, string line, DateTimeOffset written, string id)
    {
        if (file.Format == LogFileFormat.PlainLines)
        {
            return new LogEvent(AccessLogTime.RequestTime(line) ?? written.ToUnixTimeMilliseconds(), file.StreamName ?? string.Empty, line, id);
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (file.Format == LogFileFormat.EventLines)
            {
                return root.TryGetProperty("timestamp", out var time) && time.ValueKind == JsonValueKind.Number && time.TryGetInt64(out var timestamp)
                    && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                    ? new LogEvent(timestamp, root.TryGetProperty("logStreamName", out var s) ? s.GetString() ?? string.Empty : string.Empty, message.GetString()!, id)
                    : null;
            }

            var queried = root.TryGetProperty("query_timestamp", out var q) && q.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(q.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : written;
            var vpc = root.TryGetProperty("vpc_id", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
            return new LogEvent(queried.ToUnixTimeMilliseconds(), vpc, line, id);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
