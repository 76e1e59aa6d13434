using System.Collections.Immutable;
using Cloister.Tables.Expressions;

namespace Cloister.Tables.Operations;

/// <summary>Which attributes a read returns: all (default paths) or the given document paths.</summary>
internal readonly record struct ProjectionSpec(ImmutableArray<DocumentPath> Paths)
{
    public static ProjectionSpec All => default;
}
