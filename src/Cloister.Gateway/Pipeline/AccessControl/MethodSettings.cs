using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>
/// Which of a stage's MethodSettings throttles a method: the most specific that sets a throttle, <c>/path/METHOD</c>
/// over <c>/path/*</c> over <c>*/*</c> (the stage's default method throttling). Paths are written as in
/// CloudFormation, <c>/~1pets~1{id}</c> for <c>/pets/{id}</c>.
/// </summary>
internal static class MethodSettings
{
    public static MethodSetting? For(ImmutableArray<MethodSetting> settings, string resourcePath, string httpMethod)
    {
        MethodSetting? best = null;
        var bestScore = -1;
        foreach (var setting in settings)
        {
            if (setting.ThrottlingRateLimit is null && setting.ThrottlingBurstLimit is null)
            {
                continue;
            }

            var path = Path(setting.ResourcePath);
            var pathMatches = path is null || path == resourcePath;
            var methodMatches = setting.HttpMethod == "*" || string.Equals(setting.HttpMethod, httpMethod, StringComparison.OrdinalIgnoreCase);
            if (!pathMatches || !methodMatches)
            {
                continue;
            }

            var score = (path is null ? 0 : 2) + (setting.HttpMethod == "*" ? 0 : 1);
            if (score > bestScore)
            {
                best = setting;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The resource path a setting names, or null for every path.</summary>
    private static string? Path(string resourcePath)
    {
        if (resourcePath is "*" or "/*" or "")
        {
            return null;
        }

        if (resourcePath.StartsWith("/~1", StringComparison.Ordinal))
        {
            return resourcePath[1..].Replace("~1", "/", StringComparison.Ordinal);
        }

        return resourcePath.Replace("~1", "/", StringComparison.Ordinal);
    }
}
