using System.Text;
using System.Text.Json;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// The log groups CloudWatch Logs serves: the stack's (the files its modules write) and the ones callers create, and
/// where PutLogEvents writes. What callers create lives under one folder and survives restarts: <c>groups.jsonl</c>
/// and <c>streams.jsonl</c> (one JSON object per created group or stream) and <c>events/{hex of the group name}.log</c>
/// (event lines, like a function's log), each group's file being one more file of that group. Every write is flushed
/// to the disk (fsync) before the call is answered: what was acknowledged is not lost.
/// </summary>
internal sealed class LogStore
{
    private readonly Lock _gate = new();
    private readonly string? _folder;
    private readonly List<LogGroupSource> _stack;
    private readonly List<LogGroupSource> _created = [];
    private readonly Dictionary<string, Dictionary<string, long>> _streams = new(StringComparer.Ordinal);
    private IReadOnlyList<LogGroupSource> _groups = [];

    public LogStore(IReadOnlyList<LogGroupSource> stack, string? folder)
    {
        _folder = folder;
        _stack = [.. stack];
        if (folder is not null)
        {
            Directory.CreateDirectory(Path.Combine(folder, "events"));
            foreach (var (name, _, created) in ReadRecords(Path.Combine(folder, "groups.jsonl")))
            {
                if (!_stack.Exists(g => g.Name == name) && !_created.Exists(g => g.Name == name))
                {
                    _created.Add(new LogGroupSource(name, created, null, []));
                }
            }

            foreach (var (name, stream, created) in ReadRecords(Path.Combine(folder, "streams.jsonl")))
            {
                if (stream is not null)
                {
                    StreamsOf(name).TryAdd(stream, created);
                }
            }
        }

        Publish();
    }

    /// <summary>Whether callers may create groups and streams and put events (a folder was given).</summary>
    public bool IsWritable => _folder is not null;

    /// <summary>Every group, the stack's and the created ones, each with its files.</summary>
    public IReadOnlyList<LogGroupSource> Groups => Volatile.Read(ref _groups);

    /// <summary>The streams created in <paramref name="group"/> by CreateLogStream, with their creation times.</summary>
    public IReadOnlyDictionary<string, long> CreatedStreams(string group)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(group, out var streams) ? new Dictionary<string, long>(streams, StringComparer.Ordinal) : [];
        }
    }

    /// <summary>Creates a group; false when one of that name exists.</summary>
    public bool CreateGroup(string name, long now)
    {
        lock (_gate)
        {
            if (Groups.Any(g => g.Name == name))
            {
                return false;
            }

            AppendDurably(Path.Combine(_folder!, "groups.jsonl"), Record(name, null, now));
            _created.Add(new LogGroupSource(name, now, null, []));
            Publish();
            return true;
        }
    }

    /// <summary>Creates a stream in an existing group; false when the group already has a stream of that name.</summary>
    public bool CreateStream(string group, string stream, long now, IEnumerable<string> streamsWithEvents)
    {
        lock (_gate)
        {
            var streams = StreamsOf(group);
            if (streams.ContainsKey(stream) || streamsWithEvents.Contains(stream, StringComparer.Ordinal))
            {
                return false;
            }

            AppendDurably(Path.Combine(_folder!, "streams.jsonl"), Record(group, stream, now));
            streams[stream] = now;
            return true;
        }
    }

    /// <summary>Appends events (time, message) to a stream of a group, on the disk before it returns.</summary>
    public void Append(string group, string stream, IReadOnlyList<(long Timestamp, string Message)> events)
    {
        var text = new StringBuilder();
        foreach (var (timestamp, message) in events)
        {
            text.Append(JsonSerializer.Serialize(new EventLine(timestamp, stream, message), LogsJsonContext.Default.EventLine)).Append('\n');
        }

        lock (_gate)
        {
            AppendDurably(EventsPath(group), text.ToString());
        }
    }

    private string EventsPath(string group) => Path.Combine(_folder!, "events", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(group)) + ".log");

    private Dictionary<string, long> StreamsOf(string group) =>
        _streams.TryGetValue(group, out var streams) ? streams : _streams[group] = new Dictionary<string, long>(StringComparer.Ordinal);

    // Every group gets its events file as one more file, so what PutLogEvents wrote is read with the rest.
    private void Publish()
    {
        var all = _stack.Concat(_created)
            .Select(g => _folder is null ? g : g with { Files = g.Files.Add(new LogFileSource(EventsPath(g.Name), LogFileFormat.EventLines)) })
            .ToList();
        Volatile.Write(ref _groups, all);
    }

    private static string Record(string group, string? stream, long created) =>
        JsonSerializer.Serialize(new CreatedRecord(group, stream, created), LogsJsonContext.Default.CreatedRecord) + "\n";

    private static void AppendDurably(string path, string text)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.UTF8.GetBytes(text));
        file.Flush(flushToDisk: true);
    }

    private static IEnumerable<(string Group, string? Stream, long Created)> ReadRecords(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path))
        {
            CreatedRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(line, LogsJsonContext.Default.CreatedRecord);
            }
            catch (JsonException)
            {
                // A line cut short by a crash was never acknowledged.
                continue;
            }

            if (record is { Group.Length: > 0 })
            {
                yield return (record.Group, record.Stream, record.Created);
            }
        }
    }

    internal sealed record CreatedRecord(string Group, string? Stream, long Created);

    internal sealed record EventLine(long Timestamp, string LogStreamName, string Message);
}
