using System.Collections.Immutable;
using System.Text;
using Cloister.Gateway.Templates.Velocity;

namespace Cloister.Gateway.Templates;

/// <summary>
/// A request or response mapping template compiled once (per deployment) into an immutable tree and rendered
/// per request. A template that does not parse is kept with its error: every request through it fails
/// with a 500, as API Gateway fails at run time, and the reason goes to the log.
/// </summary>
internal sealed class MappingTemplate
{
    private readonly ImmutableArray<VtlNode> _nodes;

    private MappingTemplate(string source, ImmutableArray<VtlNode> nodes, string? error)
    {
        Source = source;
        _nodes = nodes;
        Error = error;
        if (error is null && nodes.All(n => n is VtlNode.Text))
        {
            StaticText = string.Concat(nodes.Select(n => ((VtlNode.Text)n).Value));
            StaticUtf8 = Encoding.UTF8.GetBytes(StaticText);
        }
    }

    public string Source { get; }

    /// <summary>Why the template does not parse; null when it does.</summary>
    public string? Error { get; }

    /// <summary>The output of a template with no references or directives, computed once; null otherwise.</summary>
    public string? StaticText { get; }

    /// <summary><see cref="StaticText"/> as UTF-8.</summary>
    public byte[]? StaticUtf8 { get; }

    public static MappingTemplate Compile(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return new MappingTemplate(source, VtlParser.Parse(source), null);
        }
        catch (VtlException exception)
        {
            return new MappingTemplate(source, [], exception.Message);
        }
    }

    /// <summary>Renders for one request.</summary>
    /// <exception cref="VtlException">The template does not parse, or failed while rendering (bad JSON body, a bad regex...).</exception>
    public string Render(MappingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Error is not null)
        {
            throw new VtlException(Error);
        }

        if (StaticText is not null)
        {
            return StaticText;
        }

        var variables = new Dictionary<string, object?>(8, StringComparer.Ordinal)
        {
            ["input"] = new InputVariable(input.Payload, input.Parameters),
            ["util"] = UtilVariable.Instance,
            ["context"] = ContextVariable.Root(input.State, input.Overrides),
            ["stageVariables"] = new StageVariablesVariable(input.State.StageVariables),
        };
        var output = new StringBuilder(Source.Length + 64);
        new VtlRenderer(variables, output).Render(_nodes);
        return output.ToString();
    }
}
