using System.Collections.Concurrent;
using Cloister.Model;
using Cloister.Tables.Operations;
using Cloister.Tables.Storage;
using Microsoft.Extensions.Logging;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// Every table's <see cref="TableAccessEntry"/>, read on every authorized request without the store's lock: the
/// operations publish a new entry (built whole) under the lock whenever a table, its indexes or its resource policy
/// change, and readers see the old entry or the new one, never half of one.
/// </summary>
internal sealed class TableAccessCatalog
{
    private readonly ConcurrentDictionary<string, TableAccessEntry> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TableAccessEntry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly AccountContext _account;
    private readonly ILogger? _logger;

    public TableAccessCatalog(AccountContext account, ILogger? logger = null)
    {
        _account = account;
        _logger = logger;
        _bySpan = _tables.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public TableAccessEntry? Find(string name) => _tables.GetValueOrDefault(name);

    public TableAccessEntry? Find(ReadOnlySpan<char> name) => _bySpan.TryGetValue(name, out var entry) ? entry : null;

    /// <summary>The ARN of a table, whether it exists or not.</summary>
    public string Arn(string name) => Find(name)?.Arn ?? TableDescriptionWriter.Arn(_account, name);

    /// <summary>Publishes a table's new definition; <paramref name="compiled"/> is its policy when the caller compiled it already.</summary>
    public void Publish(TableDefinition definition, PolicyDocument? compiled = null)
    {
        var previous = Find(definition.Name);
        var policy = definition.ResourcePolicy is null
            ? null
            : compiled
                ?? (previous?.Definition.ResourcePolicyRevisionId == definition.ResourcePolicyRevisionId && previous?.Definition.TableId == definition.TableId ? previous!.ResourcePolicy : null)
                ?? Compile(definition);
        _tables[definition.Name] = new TableAccessEntry(definition, previous?.Arn ?? TableDescriptionWriter.Arn(_account, definition.Name), policy);
    }

    public void Remove(string name) => _tables.TryRemove(name, out _);

    private PolicyDocument Compile(TableDefinition definition)
    {
        var parsed = PolicyDocument.Parse(definition.ResourcePolicy);
        if (parsed.IsValid)
        {
            return parsed.Policy;
        }

        if (_logger is not null)
        {
            Log.StoredPolicyInvalid(_logger, definition.Name, parsed.ErrorMessage);
        }

        // A stored policy that no longer parses (the journal edited by hand) denies everything rather than nothing.
        return PolicyDocument.DenyAll;
    }
}
