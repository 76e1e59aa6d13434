using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>A resource as declared, before evaluation.</summary>
internal sealed record ResourceDeclaration(
    string LogicalId,
    string Type,
    MapNode? Properties,
    ImmutableArray<string> DependsOn,
    string? Condition,
    MapNode Node,
    SourceLocation Location);
