using System.Collections.Immutable;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A request's query as <c>query-string</c> conditions see it: parameters split at <c>&amp;</c>, each at its first
/// <c>=</c>, keys and values percent-decoded (a <c>+</c> stays a <c>+</c>: RFC 3986, which ELB names for the query,
/// gives it no meaning; an invalid escape stays as written). A parameter without <c>=</c> is a value with no key, so
/// a condition without a key finds it.
/// </summary>
internal static class QueryParameters
{
    public static ImmutableArray<(string? Key, string Value)> Parse(string? query)
    {
        var text = query.AsSpan();
        if (text.StartsWith('?'))
        {
            text = text[1..];
        }

        var parameters = ImmutableArray.CreateBuilder<(string? Key, string Value)>();
        foreach (var range in text.Split('&'))
        {
            var parameter = text[range];
            if (parameter.IsEmpty)
            {
                continue;
            }

            var equals = parameter.IndexOf('=');
            parameters.Add(equals < 0
                ? (null, Uri.UnescapeDataString(parameter))
                : (Uri.UnescapeDataString(parameter[..equals]), Uri.UnescapeDataString(parameter[(equals + 1)..])));
        }

        return parameters.ToImmutable();
    }
}
