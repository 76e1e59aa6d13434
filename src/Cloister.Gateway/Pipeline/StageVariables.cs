using System.Collections.Immutable;
using System.Text;

namespace Cloister.Gateway.Pipeline;

/// <summary>Fills <c>${stageVariables.name}</c> in integration URIs; an undefined variable becomes empty, as in AWS.</summary>
internal static class StageVariables
{
    private const string Opening = "${stageVariables.";

    public static string Substitute(string text, ImmutableDictionary<string, string> variables)
    {
        var at = text.IndexOf(Opening, StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var from = 0;
        while (at >= 0)
        {
            var close = text.IndexOf('}', at);
            if (close < 0)
            {
                break;
            }

            output.Append(text, from, at - from).Append(variables.GetValueOrDefault(text[(at + Opening.Length)..close]));
            from = close + 1;
            at = text.IndexOf(Opening, from, StringComparison.Ordinal);
        }

        return output.Append(text, from, text.Length - from).ToString();
    }
}
