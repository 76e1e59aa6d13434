using System.Collections.Immutable;

namespace Cloister.Templates;

/// <summary>A resource of a stack as <c>describe-stack-resources</c> would list it, whether or not the model holds a record for it.</summary>
/// <param name="LogicalResourceId">The logical id.</param>
/// <param name="ResourceType">The CloudFormation type (after the SAM transform).</param>
/// <param name="PhysicalResourceId">What Ref returns for it.</param>
/// <param name="Modelled">Whether <see cref="Cloister.Model.CloudModel"/> holds it (or it contributes to a record there); false for resources accepted but not run (instance profiles, log groups, internet gateways...).</param>
/// <param name="Attributes">Its <c>Fn::GetAtt</c> attributes with string values (lists joined with commas).</param>
/// <param name="PropertiesJson">Its properties with every intrinsic resolved, as JSON.</param>
public sealed record StackResource(
    string LogicalResourceId,
    string ResourceType,
    string PhysicalResourceId,
    bool Modelled,
    ImmutableDictionary<string, string> Attributes,
    string PropertiesJson)
{
    /// <summary>
    /// Its <c>DeletionPolicy</c> as written (<c>Delete</c>, <c>Retain</c>, <c>RetainExceptOnCreate</c>, <c>Snapshot</c>);
    /// null when the template has none, where CloudFormation's default applies (see <see cref="DeletesWhenRemoved"/>).
    /// </summary>
    public string? DeletionPolicy { get; init; }

    /// <summary>Its <c>UpdateReplacePolicy</c> as written; null when the template has none (CloudFormation's default, <c>Delete</c>).</summary>
    public string? UpdateReplacePolicy { get; init; }

    /// <summary>
    /// Whether CloudFormation deletes it when an update removes it from the template: unless its
    /// <see cref="DeletionPolicy"/> is <c>Retain</c> or <c>RetainExceptOnCreate</c> (which retains on every operation
    /// but the one that created it). <c>Snapshot</c> deletes too, after a snapshot where the type supports one (RDS,
    /// EBS volumes, ElastiCache, Redshift, Neptune, DocumentDB; not DynamoDB tables, whose policy then deletes alone).
    /// </summary>
    public bool DeletesWhenRemoved => DeletionPolicy is not ("Retain" or "RetainExceptOnCreate");
}
