using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;
using Cloister.Templates.Sam;

namespace Cloister.Templates.Tests.Sam;

/// <summary>Reads a template's text and applies the SAM transform alone, as the loader does first, asserting neither step reports a problem.</summary>
internal static class SamExpansion
{
    /// <summary>The whole template after the transform.</summary>
    public static MapNode Template(string text)
    {
        var problems = new ProblemCollector();
        var root = (MapNode)TemplateReader.Read("t.yaml", text, problems)!;
        var transformed = SamTransform.ApplyIfDeclared(root, "t.yaml", problems);
        Assert.True(problems.ToResult().IsValid, problems.ToResult().ToString());
        return transformed;
    }

    /// <summary>The Resources section after the transform: the resources SAM wrote in place of its own.</summary>
    public static MapNode Resources(string text) => (MapNode)Template(text).Get("Resources")!;
}
