using System.Globalization;
using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>A string, number, boolean or null.</summary>
internal sealed record ScalarNode(string Value, ScalarKind Kind, SourceLocation Location) : Node(Location)
{
    /// <inheritdoc />
    public override string KindName => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Boolean => "a boolean",
        ScalarKind.Number => "a number",
        _ => "a string",
    };

    public bool IsNull => Kind == ScalarKind.Null;

    public static ScalarNode String(string value, SourceLocation location) => new(value, ScalarKind.String, location);

    public static ScalarNode Number(long value, SourceLocation location) =>
        new(value.ToString(CultureInfo.InvariantCulture), ScalarKind.Number, location);

    public static ScalarNode Boolean(bool value, SourceLocation location) => new(value ? "true" : "false", ScalarKind.Boolean, location);
}
