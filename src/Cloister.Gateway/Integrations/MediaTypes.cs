using System.Collections.Immutable;

namespace Cloister.Gateway.Integrations;

/// <summary>Binary media type matching: exact types, <c>type/*</c> and <c>*/*</c>, parameters ignored.</summary>
internal static class MediaTypes
{
    public static bool IsBinary(ImmutableArray<string> binaryMediaTypes, string? contentType)
    {
        if (binaryMediaTypes.IsDefaultOrEmpty || string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        foreach (var candidate in binaryMediaTypes)
        {
            // OpenAPI definitions escape the slash as "~1".
            var pattern = candidate.Replace("~1", "/", StringComparison.Ordinal);
            if (pattern == "*/*" || string.Equals(pattern, type, StringComparison.OrdinalIgnoreCase)
                || (pattern.EndsWith("/*", StringComparison.Ordinal) && type.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
