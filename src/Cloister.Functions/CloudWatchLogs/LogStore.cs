using System.Text;
using Cloister.Functions.Hosting;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// The log groups CloudWatch Logs serves: the stack's (the files its modules write) and the ones callers create, their
/// retention, what was deleted, and where PutLogEvents writes. What callers change lives under one folder and survives
/// restarts: <c>catalog.jsonl</c>, one JSON record per change (a group or stream created or deleted, a retention put
/// or deleted, tags given or taken), replayed in order at start after the <c>groups.jsonl</c> and <c>streams.jsonl</c> of earlier versions;
/// and <c>events/{hex of the group name}.log</c> (event lines, like a function's log), each group's file being one more
/// file of that group. Every write is flushed to the disk (fsync) before the call is answered.
/// </summary>
/// <remarks>
/// The events files are Cloister's own: a delete or a retention sweep rewrites or removes them, so the data is gone.
/// The stack's other files are appended to by other processes (a function's log writer holds its file open), so they
/// are never rewritten: a deleted group's or stream's lines in them are hidden instead, by the byte offset each file
/// had reached (its complete lines) when it was deleted, and expired events are hidden on every read.
/// </remarks>
internal sealed partial class LogStore
{
    private const string CatalogFile = "catalog.jsonl";
    private const long DayMilliseconds = 86_400_000;

    /// <summary>The most tags a log group has, as CloudWatch Logs allows.</summary>
    public const int MaxTags = 50;

    private readonly Lock _gate = new();
    private readonly string? _folder;
    private readonly Dictionary<string, LogGroupSource> _stack = new(StringComparer.Ordinal);

    // Groups created by CreateLogGroup (a stack group deleted then created again too), with their creation times.
    private readonly Dictionary<string, long> _created = new(StringComparer.Ordinal);

    // The log group classes of the groups CreateLogGroup made (a stack group's is its template's until it is deleted and created again).
    private readonly Dictionary<string, string> _classes = new(StringComparer.Ordinal);

    // The KMS keys CreateLogGroup was given.
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    // Stack groups deleted and not created again: listed only once their writers wrote again.
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);

    // Retention set by PutRetentionPolicy (null: DeleteRetentionPolicy, or a deleted group's); else the template's.
    private readonly Dictionary<string, int?> _retention = new(StringComparer.Ordinal);

    // Lines of the stack's files deleted with their group or stream, by file.
    private readonly Dictionary<string, List<HiddenLines>> _hidden = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Dictionary<string, long>> _streams = new(StringComparer.Ordinal);

    // Tags of the groups: the templates', then as callers gave and took them (CreateLogGroup, TagResource, UntagResource); a deleted group's go with it.
    private readonly Dictionary<string, Dictionary<string, string>> _tags = new(StringComparer.Ordinal);

    public LogStore(IReadOnlyList<LogGroupSource> stack, string? folder)
    {
        _folder = folder;
        foreach (var group in stack)
        {
            if (_stack.TryAdd(group.Name, group) && !group.Tags.IsEmpty)
            {
                _tags[group.Name] = new Dictionary<string, string>(group.Tags, StringComparer.Ordinal);
            }
        }

        if (folder is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(folder, "events"));
        foreach (var record in DurableFile.ReadRecords(Path.Combine(folder, "groups.jsonl"), LogsJsonContext.Default.CreatedRecord)
            .Concat(DurableFile.ReadRecords(Path.Combine(folder, "streams.jsonl"), LogsJsonContext.Default.CreatedRecord)))
        {
            Apply(new CatalogRecord(record.Stream is null ? CatalogKind.CreateLogGroup : CatalogKind.CreateLogStream, record.Group, record.Stream, record.Created, null, null));
        }

        foreach (var record in DurableFile.ReadRecords(Path.Combine(folder, CatalogFile), LogsJsonContext.Default.CatalogRecord))
        {
            Apply(record);
        }
    }

    /// <summary>Whether callers may create, delete and put (a folder was given).</summary>
    public bool IsWritable => _folder is not null;

    /// <summary>
    /// Every group there is, the stack's and the created ones, each with its files and its retention now. A deleted
    /// stack group is there again once one of its writers wrote since (as Lambda creates a function's group again when
    /// it next logs), created when its first new event was.
    /// </summary>
    public List<LogGroupSource> Groups()
    {
        List<(LogGroupSource Group, bool Deleted)> all;
        lock (_gate)
        {
            all = [.. _stack.Keys.Union(_created.Keys).Select(name => (Source(name), _deleted.Contains(name)))];
        }

        var groups = new List<LogGroupSource>(all.Count);
        foreach (var (group, deleted) in all)
        {
            if (!deleted)
            {
                groups.Add(group);
            }
            else if (Events(group, now: null).FirstOrDefault() is { } first)
            {
                groups.Add(group with { CreationTime = first.Timestamp });
            }
        }

        return groups;
    }

    /// <summary>
    /// The events of <paramref name="group"/> there are at <paramref name="now"/>: not deleted, and not older than its
    /// retention (none are dropped by age when <paramref name="now"/> is null).
    /// </summary>
    public List<LogEvent> Events(LogGroupSource group, long? now)
    {
        Dictionary<string, List<HiddenLines>> hidden;
        lock (_gate)
        {
            hidden = _hidden.Count == 0 ? [] : _hidden.Where(h => group.Files.Any(f => f.Path == h.Key)).ToDictionary(h => h.Key, h => h.Value.ToList(), StringComparer.Ordinal);
        }

        var lengths = new Dictionary<string, long>(StringComparer.Ordinal);
        var events = LogFileReader.Read(group, hidden.Count == 0 ? null : (file, offset, stream) =>
            hidden.TryGetValue(file.Path, out var marks) && marks.Exists(m => offset < m.Before && (m.Stream is null || m.Stream == stream) && Reaches(file.Path, m.Before, lengths)));
        return Cutoff(group.RetentionInDays, now) is { } cutoff ? events.FindAll(e => e.Timestamp >= cutoff) : events;
    }

    /// <summary>The earliest time an event of a group with <paramref name="days"/> of retention is kept at <paramref name="now"/>; null: no limit.</summary>
    public static long? Cutoff(int? days, long? now) => days is { } d && now is { } n ? n - (d * DayMilliseconds) : null;

    /// <summary>The tags of <paramref name="group"/>.</summary>
    public Dictionary<string, string> Tags(string group)
    {
        lock (_gate)
        {
            return _tags.TryGetValue(group, out var tags) ? new Dictionary<string, string>(tags, StringComparer.Ordinal) : [];
        }
    }

    /// <summary>The streams created in <paramref name="group"/> by CreateLogStream, with their creation times.</summary>
    public IReadOnlyDictionary<string, long> CreatedStreams(string group)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(group, out var streams) ? new Dictionary<string, long>(streams, StringComparer.Ordinal) : [];
        }
    }

    // A hiding mark speaks of the file as it was; a file now shorter than the mark is another file (replaced), all new.
    private static bool Reaches(string path, long before, Dictionary<string, long> lengths)
    {
        if (!lengths.TryGetValue(path, out var length))
        {
            length = lengths[path] = File.Exists(path) ? new FileInfo(path).Length : 0;
        }

        return length >= before;
    }

    /// <summary>Under the gate: a group as it is now, its files (the stack's and its events file) and its retention.</summary>
    private LogGroupSource Source(string name)
    {
        var stack = _stack.GetValueOrDefault(name);
        var created = _created.TryGetValue(name, out var at) ? at : (long?)null;
        var group = new LogGroupSource(
            name,
            created ?? stack!.CreationTime,
            _retention.TryGetValue(name, out var days) ? days : stack?.RetentionInDays,
            stack?.Files ?? [])
        {
            Class = _classes.TryGetValue(name, out var groupClass) ? groupClass : stack?.Class ?? "STANDARD",
            KmsKeyId = _keys.GetValueOrDefault(name),
        };
        return _folder is null ? group : group with { Files = group.Files.Add(new LogFileSource(EventsPath(name), LogFileFormat.EventLines)) };
    }

    private string EventsPath(string group) => Path.Combine(_folder!, "events", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(group)) + ".log");

    private Dictionary<string, long> StreamsOf(string group) =>
        _streams.TryGetValue(group, out var streams) ? streams : _streams[group] = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>A group or stream an earlier version recorded in <c>groups.jsonl</c> or <c>streams.jsonl</c>.</summary>
    internal sealed record CreatedRecord(string Group, string? Stream, long Created);

    /// <summary>One line of an events file, a function log's shape.</summary>
    internal sealed record EventLine(long Timestamp, string LogStreamName, string Message);
}
