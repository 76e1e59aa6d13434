using System.Collections.Immutable;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>What Ref returns for a resource and the values of its attributes.</summary>
internal sealed record ResourceIdentity(string RefValue, ImmutableDictionary<string, Node> Attributes);
