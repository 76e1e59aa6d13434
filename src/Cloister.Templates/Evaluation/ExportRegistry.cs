using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>The exports of the stacks deployed so far in one sandbox, for <c>Fn::ImportValue</c>.</summary>
internal sealed class ExportRegistry
{
    private readonly Dictionary<string, (string Stack, Node Value)> _exports = new(StringComparer.Ordinal);

    /// <summary>
    /// The value of export <paramref name="name"/> of a stack other than <paramref name="importer"/>: a stack's exports
    /// exist once it is created, so CloudFormation's import of one of its own is "No export named ... found".
    /// </summary>
    public bool TryGet(string name, string importer, out Node value)
    {
        if (_exports.TryGetValue(name, out var export) && export.Stack != importer)
        {
            value = export.Value;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>Adds an export; false with the owning stack when the name is taken.</summary>
    public bool TryAdd(string name, string stack, Node value, out string owner)
    {
        if (_exports.TryGetValue(name, out var existing))
        {
            owner = existing.Stack;
            return false;
        }

        _exports[name] = (stack, value);
        owner = stack;
        return true;
    }
}
