using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloister.Network.Runtime;

namespace Cloister.Network.Reachability;

/// <summary>How <c>cloister path</c> prints a <see cref="PathResult"/>: a short text for people, or JSON.</summary>
public static class PathReport
{
    /// <summary>Splits <c>TARGET[:PORT]</c>; false when the port is not a number from 1 to 65535.</summary>
    public static bool TryParseTarget(string text, out string target, out int? port)
    {
        ArgumentNullException.ThrowIfNull(text);
        target = text;
        port = null;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return text.Length > 0;
        }

        target = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535 || target.Length == 0)
        {
            return false;
        }

        port = value;
        return true;
    }

    /// <summary>The JSON form (camelCase, like the Reachability Analyzer API's field names).</summary>
    public static string Json(PathResult result) => JsonSerializer.Serialize(result, RuntimeState.Json);

    /// <summary>The text form: a verdict line, then the hops or the explanation.</summary>
    public static string Text(PathResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        var what = $"{result.Source} ({result.SourceAddress}) -> {result.Destination} ({result.DestinationAddress}) {result.Protocol}/{result.Port.ToString(CultureInfo.InvariantCulture)}";
        text.Append(result.NetworkPathFound ? "Path found: " : "No path: ").Append(what).Append('\n');
        foreach (var hop in result.ForwardPathComponents)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {hop.Sequence,2}. {hop.ComponentType} {hop.ComponentId}: {hop.Detail}\n");
        }

        if (result.ReturnPathComponents.Length > 0)
        {
            text.Append("  return path:\n");
            foreach (var hop in result.ReturnPathComponents)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {hop.Sequence,2}. {hop.ComponentType} {hop.ComponentId}: {hop.Detail}\n");
            }
        }

        foreach (var explanation in result.Explanations)
        {
            text.Append(CultureInfo.InvariantCulture, $"  blocked ({explanation.Direction}) at {explanation.ComponentType} {explanation.ComponentId}: {explanation.Code}\n  {explanation.Message}\n");
        }

        return text.ToString();
    }
}
