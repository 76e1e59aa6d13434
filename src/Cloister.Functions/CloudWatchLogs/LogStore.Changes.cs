using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cloister.Functions.Hosting;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// What callers change: groups and streams created and deleted, retention put and deleted, tags, events appended, and
/// the retention sweep. One at a time (a lock); each change is on the disk before it returns. A deletion removes the data
/// first and records itself after, so a crash between the two leaves the group or stream empty, never its data back.
/// </summary>
internal sealed partial class LogStore
{
    /// <summary>Creates a group with its tags, class (null: <c>STANDARD</c>) and KMS key; false when one of that name exists.</summary>
    public bool CreateGroup(string name, long now, Dictionary<string, string>? tags = null, string? groupClass = null, string? kmsKeyId = null)
    {
        lock (_gate)
        {
            if (Groups().Exists(g => g.Name == name))
            {
                return false;
            }

            Record(new CatalogRecord(CatalogKind.CreateLogGroup, name, null, now, null, null) { Tags = tags is { Count: > 0 } ? tags : null, Class = groupClass is "STANDARD" ? null : groupClass, KmsKeyId = kmsKeyId });
            return true;
        }
    }

    /// <summary>Adds tags to a group or changes their values; false (and nothing changed) when it would then have more than <see cref="MaxTags"/>.</summary>
    public bool TagGroup(string group, Dictionary<string, string> tags, long now)
    {
        lock (_gate)
        {
            var keys = _tags.TryGetValue(group, out var known) ? known.Keys.Union(tags.Keys, StringComparer.Ordinal).Count() : tags.Count;
            if (keys > MaxTags)
            {
                return false;
            }

            Record(new CatalogRecord(CatalogKind.TagResource, group, null, now, null, null) { Tags = tags });
            return true;
        }
    }

    /// <summary>Removes tags from a group (keys it does not have are no error).</summary>
    public void UntagGroup(string group, List<string> keys, long now)
    {
        lock (_gate)
        {
            Record(new CatalogRecord(CatalogKind.UntagResource, group, null, now, null, null) { TagKeys = keys });
        }
    }

    /// <summary>Creates a stream in an existing group; false when the group already has a stream of that name.</summary>
    public bool CreateStream(string group, string stream, long now, IEnumerable<string> streamsWithEvents)
    {
        lock (_gate)
        {
            if (StreamsOf(group).ContainsKey(stream) || streamsWithEvents.Contains(stream, StringComparer.Ordinal))
            {
                return false;
            }

            Record(new CatalogRecord(CatalogKind.CreateLogStream, group, stream, now, null, null));
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
            DurableFile.Append(EventsPath(group), text.ToString());
        }
    }

    /// <summary>Sets a group's retention (PutRetentionPolicy), or takes it away (null, DeleteRetentionPolicy).</summary>
    public void SetRetention(string group, int? days, long now)
    {
        lock (_gate)
        {
            Record(new CatalogRecord(days is null ? CatalogKind.DeleteRetentionPolicy : CatalogKind.PutRetentionPolicy, group, null, now, days, null));
        }
    }

    /// <summary>
    /// Deletes a group with its streams and events: its events file is removed, its lines in the stack's files hidden
    /// for good; a stack group is gone until one of its writers writes again or it is created again, and has no
    /// retention then, as a group Lambda creates again.
    /// </summary>
    public void DeleteGroup(LogGroupSource group, long now)
    {
        lock (_gate)
        {
            var hidden = Hide(group, stream: null);
            DurableFile.Delete(EventsPath(group.Name));
            Record(new CatalogRecord(CatalogKind.DeleteLogGroup, group.Name, null, now, null, hidden));
        }
    }

    /// <summary>Deletes a stream and its events: its lines are removed from the events file and hidden in the stack's files.</summary>
    public void DeleteStream(LogGroupSource group, string stream, long now)
    {
        lock (_gate)
        {
            var hidden = Hide(group, stream);
            RewriteEvents(EventsPath(group.Name), line => line.LogStreamName != stream);
            Record(new CatalogRecord(CatalogKind.DeleteLogStream, group.Name, stream, now, null, hidden));
        }
    }

    /// <summary>
    /// Removes the events older than their group's retention from the events files (the stack's other files are only
    /// read, so their old events are hidden on read instead). Returns the groups whose file could not be rewritten.
    /// </summary>
    public List<(string Group, Exception Error)> Sweep(long now)
    {
        var failed = new List<(string, Exception)>();
        if (_folder is null)
        {
            return failed;
        }

        lock (_gate)
        {
            foreach (var name in _stack.Keys.Union(_created.Keys))
            {
                if (Cutoff(Source(name).RetentionInDays, now) is not { } cutoff)
                {
                    continue;
                }

                try
                {
                    RewriteEvents(EventsPath(name), line => line.Timestamp >= cutoff);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    failed.Add((name, error));
                }
            }
        }

        return failed;
    }

    // Under the gate: the complete lines each of the group's stack files holds now, to hide (all, or one stream's).
    private List<HiddenLines> Hide(LogGroupSource group, string? stream) =>
        [.. group.Files
            .Where(f => f.Path != EventsPath(group.Name))
            .Select(f => new HiddenLines(f.Path, stream, LogFileReader.CompleteLength(f.Path)))
            .Where(h => h.Before > 0)];

    // Under the gate: keeps the events file's lines that 'keep' wants (and drops lines cut short); rewritten only when one goes.
    private static void RewriteEvents(string path, Func<EventLine, bool> keep)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var kept = new StringBuilder();
        var dropped = false;
        foreach (var line in File.ReadLines(path))
        {
            EventLine? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(line, LogsJsonContext.Default.EventLine);
            }
            catch (JsonException)
            {
                parsed = null;
            }

            if (parsed is not null && keep(parsed))
            {
                kept.Append(line).Append('\n');
            }
            else
            {
                dropped = true;
            }
        }

        if (dropped)
        {
            DurableFile.Replace(path, Encoding.UTF8.GetBytes(kept.ToString()));
        }
    }

    // Under the gate: writes the change to the catalog, then makes it.
    private void Record(CatalogRecord record)
    {
        DurableFile.Append(Path.Combine(_folder!, CatalogFile), JsonSerializer.Serialize(record, LogsJsonContext.Default.CatalogRecord) + "\n");
        Apply(record);
    }

    private void Apply(CatalogRecord record)
    {
        var name = record.Group;
        if (name.Length == 0)
        {
            return;
        }

        switch (record.Kind)
        {
            case CatalogKind.CreateLogGroup when !_stack.ContainsKey(name) || _deleted.Contains(name):
                _deleted.Remove(name);
                _created.TryAdd(name, record.At);
                ApplyTags(name, record.Tags, []);
                _classes[name] = record.Class ?? "STANDARD";
                if (record.KmsKeyId is { } key)
                {
                    _keys[name] = key;
                }

                break;
            case CatalogKind.TagResource or CatalogKind.UntagResource:
                ApplyTags(name, record.Tags, record.TagKeys ?? []);
                break;
            case CatalogKind.CreateLogStream when record.Stream is { } stream:
                StreamsOf(name).TryAdd(stream, record.At);
                break;
            case CatalogKind.PutRetentionPolicy or CatalogKind.DeleteRetentionPolicy:
                _retention[name] = record.RetentionInDays;
                break;
            case CatalogKind.DeleteLogGroup:
                _created.Remove(name);
                if (_stack.ContainsKey(name))
                {
                    _deleted.Add(name);
                }

                _streams.Remove(name);
                _tags.Remove(name);
                _classes.Remove(name);
                _keys.Remove(name);
                _retention[name] = null;
                AddHidden(record.Hidden);
                break;
            case CatalogKind.DeleteLogStream when record.Stream is { } stream:
                StreamsOf(name).Remove(stream);
                AddHidden(record.Hidden);
                break;
            default:
                break;
        }
    }

    private void ApplyTags(string group, Dictionary<string, string>? added, List<string> removed)
    {
        var tags = _tags.TryGetValue(group, out var known) ? known : _tags[group] = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in added ?? [])
        {
            tags[key] = value;
        }

        foreach (var key in removed)
        {
            tags.Remove(key);
        }
    }

    private void AddHidden(List<HiddenLines>? hidden)
    {
        foreach (var mark in hidden ?? [])
        {
            (_hidden.TryGetValue(mark.Path, out var marks) ? marks : _hidden[mark.Path] = []).Add(mark);
        }
    }

    /// <summary>What a catalog record says happened.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<CatalogKind>))]
    internal enum CatalogKind
    {
        CreateLogGroup,
        CreateLogStream,
        DeleteLogGroup,
        DeleteLogStream,
        PutRetentionPolicy,
        DeleteRetentionPolicy,
        TagResource,
        UntagResource,
    }

    /// <summary>One change to the groups callers see, in <c>catalog.jsonl</c>.</summary>
    /// <param name="Kind">What happened.</param>
    /// <param name="Group">To which group.</param>
    /// <param name="Stream">To which stream (a stream's creation or deletion).</param>
    /// <param name="At">When, in milliseconds since the epoch (a created group's or stream's creation time).</param>
    /// <param name="RetentionInDays">The retention put (PutRetentionPolicy).</param>
    /// <param name="Hidden">The lines of the stack's files a deletion hid.</param>
    internal sealed record CatalogRecord(CatalogKind Kind, string Group, string? Stream, long At, int? RetentionInDays, List<HiddenLines>? Hidden)
    {
        /// <summary>The tags a group was created with or given (CreateLogGroup, TagResource).</summary>
        public Dictionary<string, string>? Tags { get; init; }

        /// <summary>The keys of the tags taken away (UntagResource).</summary>
        public List<string>? TagKeys { get; init; }

        /// <summary>A created group's log group class, when not <c>STANDARD</c>.</summary>
        public string? Class { get; init; }

        /// <summary>The KMS key a group was created with.</summary>
        public string? KmsKeyId { get; init; }
    }

    /// <summary>The lines of a file (of one stream, or all) that start before byte <paramref name="Before"/> are deleted.</summary>
    internal sealed record HiddenLines(string Path, string? Stream, long Before);
}
