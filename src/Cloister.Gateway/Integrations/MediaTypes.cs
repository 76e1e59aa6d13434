using System.Collections.Immutable;
using Microsoft.Extensions.Primitives;

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

    /// <summary>
    /// Whether a response should go out as binary: API Gateway looks at the first media type of the client's
    /// <c>Accept</c> header only (developer guide, "Binary media types for REST APIs").
    /// </summary>
    public static bool AcceptsBinary(ImmutableArray<string> binaryMediaTypes, StringValues accept)
    {
        if (binaryMediaTypes.IsDefaultOrEmpty || accept.Count == 0 || accept[0] is not { } first)
        {
            return false;
        }

        var comma = first.IndexOf(',', StringComparison.Ordinal);
        return IsBinary(binaryMediaTypes, comma < 0 ? first : first[..comma]);
    }
}
