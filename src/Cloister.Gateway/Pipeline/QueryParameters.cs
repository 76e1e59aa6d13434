using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// The query string as API Gateway reads it, in place of ASP.NET Core's <see cref="HttpRequest.Query"/>:
/// <list type="bullet">
/// <item>Names are case-sensitive: <c>?tag=a&amp;Tag=b</c> is two parameters, <c>tag</c> and <c>Tag</c> (the request
/// validation page matches query string names as written; Java's maps behind API Gateway, and LocalStack's
/// AWS-validated parser, keep them apart). ASP.NET Core folds them into one name with both values.</item>
/// <item>A plain <c>;</c> splits as <c>&amp;</c> does: the important notes for REST APIs say a semicolon in a request
/// URL's query string "results in the data being split", so <c>?a=X;Y</c> gives <c>a</c> the value <c>X</c> (an
/// escaped <c>%3B</c> stays in its value). Kestrel splits at <c>&amp;</c> only.</item>
/// </list>
/// Pieces are decoded as ASP.NET Core decodes them (<c>+</c> is a space, a name without <c>=</c> has the empty value).
/// Parsed when first read, in order of first appearance, so a request whose query nothing reads costs one object.
/// SigV4 verification and the path read the raw target, not this.
/// </summary>
internal sealed class QueryParameters : IQueryCollection
{
    private readonly string _query;
    private Dictionary<string, StringValues>? _parsed;

    private QueryParameters(string query) => _query = query;

    /// <summary>Puts the gateway's reading of the query in place of ASP.NET Core's, when there is a query.</summary>
    public static void Attach(HttpRequest request)
    {
        var query = request.QueryString.Value;
        if (query is { Length: > 1 })
        {
            request.Query = new QueryParameters(query);
        }
    }

    private Dictionary<string, StringValues> Parsed => _parsed ??= Parse(_query);

    public StringValues this[string key] => Parsed.TryGetValue(key, out var values) ? values : StringValues.Empty;

    public int Count => Parsed.Count;

    public ICollection<string> Keys => Parsed.Keys;

    public bool ContainsKey(string key) => Parsed.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StringValues value) => Parsed.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() => Parsed.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static Dictionary<string, StringValues> Parse(string query)
    {
        var text = query.Contains(';', StringComparison.Ordinal) ? query.Replace(';', '&') : query;
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        Dictionary<string, List<string>>? repeated = null;
        foreach (var pair in new QueryStringEnumerable(text))
        {
            var name = pair.DecodeName().ToString();
            var value = pair.DecodeValue().ToString();
            if (values.TryAdd(name, value))
            {
                continue;
            }

            // Kept in a list and written once at the end: concatenating per repeat would be quadratic in the
            // (8,192-character) URL.
            repeated ??= new(StringComparer.Ordinal);
            if (!repeated.TryGetValue(name, out var list))
            {
                list = [values[name].ToString()];
                repeated[name] = list;
            }

            list.Add(value);
        }

        if (repeated is not null)
        {
            foreach (var (name, list) in repeated)
            {
                values[name] = new StringValues([.. list]);
            }
        }

        return values;
    }
}
