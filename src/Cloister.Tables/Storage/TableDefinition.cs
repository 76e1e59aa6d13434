using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cloister.Tables.Storage;

/// <summary>
/// Everything DescribeTable reports about a table except its live counts, and its resource-based policy (the JSON
/// as given, and its revision id), tags, table class, encryption key and point-in-time recovery setting; replaced whole on
/// change, and stored whole in the journal's catalog. Members added after the first release default when an older
/// catalog row lacks them. <c>TableClass</c> is null when never given (STANDARD, and DescribeTable then shows no
/// TableClassSummary); <c>TableClassUpdated</c> is when UpdateTable last changed it; <c>SseKmsKeyArn</c> is the KMS key of
/// SSESpecification Enabled, null for the AWS owned key; <c>PointInTimeRecoverySince</c> is when UpdateContinuousBackups
/// enabled point-in-time recovery (moved on to the old period's reach when RecoveryPeriodInDays changes), null while it is
/// disabled: the journal keeps the table's history from then (<see cref="PointInTimeHistory"/>). <c>RestoredFrom</c> is the backup a table was restored from
/// (DescribeTable's RestoreSummary), null for a table created. <c>PayPerRequestSince</c> is when UpdateTable last made the table
/// PAY_PER_REQUEST (BillingModeSummary's LastUpdateToPayPerRequestDateTime), null when it has been since its creation.
/// <c>TimeToLiveUpdated</c> is when UpdateTimeToLive last changed the table's time to live (another change is refused for an hour), null if never.
/// </summary>
internal sealed record TableDefinition(
    string Name,
    string TableId,
    string HashKey,
    string? RangeKey,
    ImmutableDictionary<string, string> AttributeTypes,
    string BillingMode,
    long ReadCapacityUnits,
    long WriteCapacityUnits,
    ImmutableArray<IndexDefinition> Indexes,
    string? TimeToLiveAttribute,
    bool TimeToLiveEnabled,
    bool DeletionProtectionEnabled,
    DateTimeOffset CreationDateTime,
    string? ResourcePolicy = null,
    string? ResourcePolicyRevisionId = null,
    ImmutableArray<TableTag>? Tags = null,
    string? TableClass = null,
    DateTimeOffset? TableClassUpdated = null,
    string? SseKmsKeyArn = null,
    DateTimeOffset? PointInTimeRecoverySince = null,
    int RecoveryPeriodInDays = 0,
    RestoreSummary? RestoredFrom = null,
    DateTimeOffset? PayPerRequestSince = null,
    DateTimeOffset? TimeToLiveUpdated = null)
{
    /// <summary>The table's tags, in the order they were first given.</summary>
    [JsonIgnore]
    public ImmutableArray<TableTag> TagList => Tags ?? [];

    public IEnumerable<string> KeyNames => RangeKey is null ? [HashKey] : [HashKey, RangeKey];

    /// <summary>Every attribute a key schema names, the table's and its indexes' (the ones AttributeDefinitions must define).</summary>
    public IEnumerable<string> KeyAttributeNames() =>
        KeyNames.Concat(Indexes.SelectMany(index => index.RangeKey is null ? [index.HashKey] : new[] { index.HashKey, index.RangeKey }));

    public IndexDefinition? FindIndex(string name) => Indexes.FirstOrDefault(index => string.Equals(index.Name, name, StringComparison.Ordinal));
}
