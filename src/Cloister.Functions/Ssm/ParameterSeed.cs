namespace Cloister.Functions.Ssm;

/// <summary>A parameter a template declares (<c>AWS::SSM::Parameter</c>), written into the store at start.</summary>
/// <param name="Name">Its name (CloudFormation's generated one when the template gives none).</param>
/// <param name="Type"><c>String</c> or <c>StringList</c>.</param>
/// <param name="Value">Its value.</param>
/// <param name="Description">Its description, if any.</param>
/// <param name="Tier"><c>Standard</c> or <c>Advanced</c>; null for Standard.</param>
/// <param name="AllowedPattern">The regular expression its values must match, if any.</param>
/// <param name="DataType"><c>text</c> (null) or <c>aws:ec2:image</c>.</param>
public sealed record ParameterSeed(string Name, string Type, string Value, string? Description = null, string? Tier = null, string? AllowedPattern = null, string? DataType = null);
