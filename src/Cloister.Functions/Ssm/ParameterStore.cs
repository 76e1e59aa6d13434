using System.Security.Cryptography;
using System.Text.Json;
using Cloister.Functions.Hosting;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Parameter Store's parameters and their versions, kept in one append-only file, <c>parameters.jsonl</c>: one JSON
/// object per version written (<c>"op":"put"</c>) or parameter deleted (<c>"op":"delete"</c>), read back in order at
/// start. Every write is flushed to the disk (fsync) before the call is answered, so what was acknowledged survives a
/// restart; a last line torn by a crash is skipped. As AWS, a parameter keeps its latest 100 versions (unless the oldest
/// carries a label: then a new version is refused), and one deleted and created again starts from version 1. Labels
/// attached (<c>"op":"label"</c>) and detached (<c>"op":"unlabel"</c>) are records of their own.
/// </summary>
internal sealed class ParameterStore
{
    /// <summary>The most versions a parameter keeps; writing another forgets the oldest.</summary>
    public const int MaxVersions = 100;

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly SortedDictionary<string, List<ParameterVersion>> _parameters = new(StringComparer.Ordinal);

    public ParameterStore(string folder)
    {
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, "parameters.jsonl");
        foreach (var record in DurableFile.ReadRecords(_path, SsmJsonContext.Default.StoredRecord))
        {
            if (record.Op == "delete")
            {
                _parameters.Remove(record.Name);
            }
            else if (record is { Op: "put", Version: { } version, Type: { } type, Value: { } value })
            {
                Remember(new ParameterVersion(record.Name, type, value, version, record.Description, record.AllowedPattern, record.Tier ?? "Standard", record.DataType ?? "text", record.Time ?? 0, record.User ?? string.Empty, record.Ciphertext) { KeyId = record.KeyId });
            }
            else if (record is { Op: "label" or "unlabel", Version: { } labelled, Labels: { } labels } && _parameters.TryGetValue(record.Name, out var versions))
            {
                Relabel(versions, labelled, labels, attach: record.Op == "label");
            }
        }
    }

    /// <summary>The latest version of <paramref name="name"/>; null when there is no such parameter.</summary>
    public ParameterVersion? Latest(string name)
    {
        lock (_gate)
        {
            return _parameters.TryGetValue(name, out var versions) ? versions[^1] : null;
        }
    }

    /// <summary>The versions of <paramref name="name"/> kept, oldest first; empty when there is no such parameter.</summary>
    public List<ParameterVersion> History(string name)
    {
        lock (_gate)
        {
            return _parameters.TryGetValue(name, out var versions) ? [.. versions] : [];
        }
    }

    /// <summary>The latest version of every parameter, in name order.</summary>
    public List<ParameterVersion> All()
    {
        lock (_gate)
        {
            return [.. _parameters.Values.Select(v => v[^1])];
        }
    }

    /// <summary>
    /// Writes the version <paramref name="next"/> makes of the latest (null for a new parameter), numbered one after
    /// it, durably; refuses with <c>ParameterAlreadyExists</c> when the parameter exists and <paramref name="overwrite"/>
    /// is false. <paramref name="next"/> may refuse too (by throwing); nothing is written then.
    /// </summary>
    public ParameterVersion Put(string name, bool overwrite, Func<ParameterVersion?, ParameterVersion> next)
    {
        lock (_gate)
        {
            var latest = _parameters.TryGetValue(name, out var versions) ? versions[^1] : null;
            if (latest is not null && !overwrite)
            {
                throw new SsmException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            }

            // AWS keeps a labelled oldest version rather than forget it, and refuses the new one instead.
            if (versions is { Count: >= MaxVersions } && versions[0].Labels.Count > 0)
            {
                throw new SsmException("ParameterMaxVersionLimitExceeded", FormattableString.Invariant($"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {versions[0].Version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again."));
            }

            var written = next(latest) with { Name = name, Version = (latest?.Version ?? 0) + 1, Labels = [] };
            if (written.Type == "SecureString" && written.Ciphertext is null)
            {
                written = written with { Ciphertext = NewCiphertext() };
            }

            Append(new StoredRecord("put", name, written.Type, written.Value, written.Version, written.Description, written.AllowedPattern, written.Tier, written.DataType, written.LastModified, written.LastModifiedUser, written.Ciphertext) { KeyId = written.KeyId });
            Remember(written);
            return written;
        }
    }

    /// <summary>
    /// Writes a template's parameter unless its latest version already says the same (a deployment of an unchanged
    /// template leaves its parameters' versions alone).
    /// </summary>
    public void Seed(ParameterSeed seed, string user, long now)
    {
        var tier = seed.Tier ?? "Standard";
        var dataType = seed.DataType ?? "text";
        if (Latest(seed.Name) is { } latest && latest.Type == seed.Type && latest.Value == seed.Value && latest.Description == seed.Description
            && latest.AllowedPattern == seed.AllowedPattern && latest.Tier == tier && latest.DataType == dataType)
        {
            return;
        }

        Put(seed.Name, overwrite: true, _ => new ParameterVersion(seed.Name, seed.Type, seed.Value, 0, seed.Description, seed.AllowedPattern, tier, dataType, now, user, null));
    }

    /// <summary>
    /// Attaches the valid ones of <paramref name="labels"/> to <paramref name="version"/> of <paramref name="name"/> (its
    /// latest when null), moving any already on another version, durably; answers the version labelled and the labels
    /// refused by <see cref="ParameterLabels.IsValid"/>. Refuses a missing parameter or version, and a version that would
    /// carry more than 10 labels (nothing is attached then).
    /// </summary>
    public (long Version, List<string> Invalid) Label(string name, long? version, IReadOnlyList<string> labels)
    {
        lock (_gate)
        {
            var target = Version(name, version);
            var valid = labels.Where(ParameterLabels.IsValid).Distinct(StringComparer.Ordinal).ToList();
            if (target.Labels.Union(valid, StringComparer.Ordinal).Count() > ParameterLabels.MaxPerVersion)
            {
                throw new SsmException("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.");
            }

            if (valid.Count > 0)
            {
                Append(new StoredRecord("label", name, Version: target.Version) { Labels = valid });
                Relabel(_parameters[name], target.Version, valid, attach: true);
            }

            return (target.Version, [.. labels.Where(l => !ParameterLabels.IsValid(l)).Distinct(StringComparer.Ordinal)]);
        }
    }

    /// <summary>
    /// Detaches <paramref name="labels"/> from <paramref name="version"/> of <paramref name="name"/>, durably; answers the
    /// labels removed and those the version did not carry. Refuses a missing parameter or version.
    /// </summary>
    public (List<string> Removed, List<string> Invalid) Unlabel(string name, long version, IReadOnlyList<string> labels)
    {
        lock (_gate)
        {
            var target = Version(name, version);
            var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
            List<string> removed = [.. distinct.Where(target.Labels.Contains)];
            if (removed.Count > 0)
            {
                Append(new StoredRecord("unlabel", name, Version: target.Version) { Labels = removed });
                Relabel(_parameters[name], target.Version, removed, attach: false);
            }

            return (removed, [.. distinct.Except(removed, StringComparer.Ordinal)]);
        }
    }

    /// <summary>Deletes <paramref name="name"/> and every version of it, durably; false when there is no such parameter.</summary>
    public bool Delete(string name)
    {
        lock (_gate)
        {
            if (!_parameters.ContainsKey(name))
            {
                return false;
            }

            Append(new StoredRecord("delete", name));
            _parameters.Remove(name);
            return true;
        }
    }

    // Called under the gate.
    private ParameterVersion Version(string name, long? version)
    {
        if (!_parameters.TryGetValue(name, out var versions))
        {
            throw SsmException.NotFound();
        }

        return version is not { } number ? versions[^1]
            : versions.Find(v => v.Version == number) ?? throw SsmException.VersionNotFound(name, number);
    }

    // A label attached to one version leaves any other it was on (AWS moves it).
    private static void Relabel(List<ParameterVersion> versions, long version, IReadOnlyList<string> labels, bool attach)
    {
        for (var i = 0; i < versions.Count; i++)
        {
            var kept = versions[i].Labels.Except(labels, StringComparer.Ordinal);
            versions[i] = versions[i] with { Labels = [.. attach && versions[i].Version == version ? versions[i].Labels.Union(labels, StringComparer.Ordinal) : kept] };
        }
    }

    // AWS's ciphertext is a KMS blob; the sandbox's is as opaque and says nothing of the value.
    private static string NewCiphertext()
    {
        var bytes = new byte[48];
        RandomNumberGenerator.Fill(bytes.AsSpan(4));
        bytes[0] = 1;
        bytes[1] = 2;
        bytes[2] = 2;
        return Convert.ToBase64String(bytes);
    }

    private void Remember(ParameterVersion version)
    {
        if (!_parameters.TryGetValue(version.Name, out var versions))
        {
            _parameters[version.Name] = versions = [];
        }

        versions.Add(version);
        if (versions.Count > MaxVersions)
        {
            versions.RemoveAt(0);
        }
    }

    private void Append(StoredRecord record)
    {
        DurableFile.Append(_path, [.. JsonSerializer.SerializeToUtf8Bytes(record, SsmJsonContext.Default.StoredRecord), (byte)'\n']);
    }

    /// <summary>One line of <c>parameters.jsonl</c>.</summary>
    internal sealed record StoredRecord(
        string Op,
        string Name,
        string? Type = null,
        string? Value = null,
        long? Version = null,
        string? Description = null,
        string? AllowedPattern = null,
        string? Tier = null,
        string? DataType = null,
        long? Time = null,
        string? User = null,
        string? Ciphertext = null)
    {
        /// <summary>A SecureString's KMS key as named, when not the default one.</summary>
        public string? KeyId { get; init; }

        /// <summary>The labels a <c>label</c> or <c>unlabel</c> record attaches or detaches.</summary>
        public IReadOnlyList<string>? Labels { get; init; }
    }
}
