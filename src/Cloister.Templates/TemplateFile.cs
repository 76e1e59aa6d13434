namespace Cloister.Templates;

/// <summary>One template to deploy as one stack.</summary>
/// <param name="Path">The template's path; code paths in it are taken relative to its folder, and problems name it.</param>
public sealed record TemplateFile(string Path)
{
    /// <summary>Parameter values by name (<c>--param KEY=VALUE</c>); parameters not given take their Default.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The stack name; by default the file's name without its extension.</summary>
    public string? StackName { get; init; }

    /// <summary>The stack's name: <see cref="StackName"/>, else the file's name without extension kept to what a stack name may hold.</summary>
    public string ResolvedStackName => StackName ?? TemplateLoader.DefaultStackName(Path);

    /// <summary>The template's text when it is not to be read from <see cref="Path"/> (tests, stdin).</summary>
    public string? Text { get; init; }
}
