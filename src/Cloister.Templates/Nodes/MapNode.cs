using System.Collections.Immutable;
using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>A mapping of keys to values, in the order written. Keys are unique (the readers refuse duplicates).</summary>
internal sealed record MapNode(ImmutableArray<MapEntry> Entries, SourceLocation Location) : Node(Location)
{
    /// <inheritdoc />
    public override string KindName => "a map";

    public Node? Get(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public MapEntry? GetEntry(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The string value of <paramref name="key"/> when it is a scalar.</summary>
    public string? GetString(string key) => Get(key) is ScalarNode { IsNull: false } s ? s.Value : null;

    /// <summary>Whether this map is an intrinsic function or a condition reference: exactly one key, <c>Ref</c>, <c>Condition</c> or <c>Fn::...</c>.</summary>
    public bool IsIntrinsic(out string name, out Node argument)
    {
        if (Entries.Length == 1 && (Entries[0].Key is "Ref" or "Condition" || Entries[0].Key.StartsWith("Fn::", StringComparison.Ordinal)))
        {
            name = Entries[0].Key;
            argument = Entries[0].Value;
            return true;
        }

        name = string.Empty;
        argument = this;
        return false;
    }

    public MapNode With(string key, Node value)
    {
        var builder = Entries.ToBuilder();
        for (var i = 0; i < builder.Count; i++)
        {
            if (builder[i].Key == key)
            {
                builder[i] = builder[i] with { Value = value };
                return this with { Entries = builder.ToImmutable() };
            }
        }

        builder.Add(new MapEntry(key, value.Location, value));
        return this with { Entries = builder.ToImmutable() };
    }

    public MapNode Without(string key) => this with { Entries = Entries.RemoveAll(e => e.Key == key) };
}
