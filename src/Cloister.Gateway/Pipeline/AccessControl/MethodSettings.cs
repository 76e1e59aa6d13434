using System.Collections.Immutable;
using Cloister.Model.Api;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>
/// Which of a stage's MethodSettings applies to a method: the most specific that <c>applies</c> (for throttling, one
/// that sets a throttle), <c>/path/METHOD</c> over <c>/path/*</c> over <c>*/*</c> (the stage's defaults). Paths are
/// written as in CloudFormation, <c>/~1pets~1{id}</c> for <c>/pets/{id}</c>.
/// </summary>
internal static class MethodSettings
{
    /// <summary>The setting that throttles the method: the most specific that sets a rate or a burst.</summary>
    public static MethodSetting? For(ImmutableArray<MethodSetting> settings, string resourcePath, string httpMethod) =>
        For(settings, resourcePath, httpMethod, static s => s.ThrottlingRateLimit is not null || s.ThrottlingBurstLimit is not null);

    public static MethodSetting? For(ImmutableArray<MethodSetting> settings, string resourcePath, string httpMethod, Func<MethodSetting, bool> applies)
    {
        MethodSetting? best = null;
        var bestScore = -1;
        foreach (var setting in settings)
        {
            if (!applies(setting))
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
