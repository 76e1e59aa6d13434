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
    string PropertiesJson);
