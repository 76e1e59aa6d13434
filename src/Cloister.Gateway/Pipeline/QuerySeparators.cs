using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// API Gateway splits a query string at <c>;</c> as at <c>&amp;</c>: the important notes for REST APIs say a plain
/// semicolon in a request URL's query string "results in the data being split", so <c>?a=X;Y</c> gives <c>a</c> the
/// value <c>X</c> (an escaped <c>%3B</c> stays in its value). Kestrel splits at <c>&amp;</c> only.
/// </summary>
internal static class QuerySeparators
{
    /// <summary>
    /// Replaces the request's parsed query by one split at both separators when the query has a plain <c>;</c>. Only
    /// the parsed parameters change: SigV4 verification and the path read the raw target.
    /// </summary>
    public static void SplitAtSemicolons(HttpRequest request)
    {
        var query = request.QueryString.Value;
        if (query is null || !query.Contains(';', StringComparison.Ordinal))
        {
            return;
        }

        request.Query = new QueryCollection(QueryHelpers.ParseQuery(query.Replace(';', '&')));
    }
}
