using System.Collections.Immutable;

namespace Cloister.Model.Data;

/// <summary>A DynamoDB table.</summary>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="TableName">Its name (the table is identified by it).</param>
/// <param name="KeySchema">Its primary key.</param>
/// <param name="AttributeDefinitions">Key attribute types, name to <c>S</c>, <c>N</c> or <c>B</c>.</param>
/// <param name="BillingMode"><c>PAY_PER_REQUEST</c> or <c>PROVISIONED</c>.</param>
/// <param name="GlobalSecondaryIndexes">Its GSIs.</param>
/// <param name="LocalSecondaryIndexes">Its LSIs.</param>
/// <param name="TimeToLiveAttribute">The TTL attribute, if enabled.</param>
/// <param name="ResourcePolicy">The table's resource-based policy (<c>ResourcePolicy.PolicyDocument</c>) as JSON; null without one.</param>
public sealed record Table(
    string LogicalId,
    string TableName,
    ImmutableArray<KeyElement> KeySchema,
    ImmutableDictionary<string, string> AttributeDefinitions,
    string BillingMode,
    ImmutableArray<SecondaryIndex> GlobalSecondaryIndexes,
    ImmutableArray<SecondaryIndex> LocalSecondaryIndexes,
    string? TimeToLiveAttribute,
    string? ResourcePolicy = null) : IResource
{
    /// <summary>A table is identified by its name.</summary>
    public string Id => TableName;

    /// <summary>The template's <c>Tags</c>, in their order (the table service holds them to DynamoDB's tagging rules).</summary>
    public ImmutableArray<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary><c>TableClass</c> (<c>STANDARD</c> or <c>STANDARD_INFREQUENT_ACCESS</c>); null when the template gives none.</summary>
    public string? TableClass { get; init; }

    /// <summary><c>SSESpecification.SSEEnabled</c>: encrypted with a KMS key rather than the AWS owned key.</summary>
    public bool SseEnabled { get; init; }

    /// <summary><c>SSESpecification.KMSMasterKeyId</c>; null for the AWS managed key.</summary>
    public string? SseKmsKeyId { get; init; }

    /// <summary><c>PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled</c>.</summary>
    public bool PointInTimeRecovery { get; init; }

    /// <summary><c>PointInTimeRecoverySpecification.RecoveryPeriodInDays</c>; null for DynamoDB's default (35).</summary>
    public int? RecoveryPeriodInDays { get; init; }

    /// <summary><c>DeletionProtectionEnabled</c>: the table service refuses <c>DeleteTable</c> while it is on.</summary>
    public bool DeletionProtection { get; init; }
}
