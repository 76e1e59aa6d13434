using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Parsing;

/// <summary>Reads a template file of either format: JSON when it starts with <c>{</c>, YAML otherwise.</summary>
internal static class TemplateReader
{
    public static Node? Read(string file, string text, ProblemCollector problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().TrimStart(" \t\r\n\uFEFF");
        return first.Length > 0 && first[0] == '{'
            ? JsonTemplateReader.Read(file, text.TrimStart('\uFEFF'), problems)
            : YamlTemplateReader.Read(file, text, problems);
    }
}
