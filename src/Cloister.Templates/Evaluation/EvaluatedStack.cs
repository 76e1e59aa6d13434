using System.Collections.Immutable;

namespace Cloister.Templates.Evaluation;

/// <summary>One template after evaluation: its resources in creation order and its outputs.</summary>
internal sealed record EvaluatedStack(
    string StackName,
    string StackId,
    string File,
    ImmutableArray<EvaluatedResource> Resources,
    ImmutableArray<StackOutput> Outputs);
