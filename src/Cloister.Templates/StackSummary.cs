using System.Collections.Immutable;

namespace Cloister.Templates;

/// <summary>One template loaded as a stack.</summary>
/// <param name="StackName">The stack's name.</param>
/// <param name="StackId">The stack's ARN-shaped id.</param>
/// <param name="TemplatePath">The template's path.</param>
/// <param name="Outputs">Its outputs, in the template's order.</param>
/// <param name="Resources">Its resources, in creation order.</param>
public sealed record StackSummary(string StackName, string StackId, string TemplatePath, ImmutableArray<StackOutput> Outputs, ImmutableArray<StackResource> Resources);
