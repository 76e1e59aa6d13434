using System.Collections.Immutable;

namespace Cloister.Tables.Expressions;

/// <summary>A resolved document path such as <c>a.b[2].c</c> (names already substituted).</summary>
internal sealed record DocumentPath(ImmutableArray<PathElement> Elements)
{
    public string TopLevel => Elements[0].Name!;

    public bool IsTopLevel => Elements.Length == 1;

    public static DocumentPath Of(string name) => new([new PathElement(name, 0)]);

    /// <summary>The form DynamoDB uses in messages: <c>[a, b, [2]]</c>.</summary>
    public string Describe() => "[" + string.Join(", ", Elements.Select(element => element.ToString())) + "]";

    public bool Equals(DocumentPath? other) => other is not null && Elements.SequenceEqual(other.Elements);

    public override int GetHashCode() => Elements.Aggregate(0, (hash, element) => HashCode.Combine(hash, element));
}
