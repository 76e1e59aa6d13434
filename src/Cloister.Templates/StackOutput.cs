namespace Cloister.Templates;

/// <summary>One output of a stack, as <c>aws cloudformation describe-stacks</c> shows it.</summary>
/// <param name="OutputKey">The output's logical name.</param>
/// <param name="OutputValue">Its value; lists are joined with commas, as CloudFormation does.</param>
/// <param name="Description">Its description, when it has one.</param>
/// <param name="ExportName">The name it is exported under for <c>Fn::ImportValue</c>, when exported.</param>
public sealed record StackOutput(string OutputKey, string OutputValue, string? Description, string? ExportName);
