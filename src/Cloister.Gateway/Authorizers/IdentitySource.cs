namespace Cloister.Gateway.Authorizers;

/// <summary>One identity source of an authorizer: where in the request a value comes from, and its name.</summary>
/// <param name="Kind">Header, query string, stage variable or context variable.</param>
/// <param name="Name">The header, parameter, variable name.</param>
internal readonly record struct IdentitySource(IdentitySourceKind Kind, string Name)
{
    /// <summary>Parses <c>method.request.header.X, method.request.querystring.Y, stageVariables.Z, context.W</c>; unknown parts are skipped.</summary>
    public static IdentitySource[] ParseList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var sources = new List<IdentitySource>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            IdentitySource? source = raw switch
            {
                _ when raw.StartsWith("method.request.header.", StringComparison.Ordinal) => new(IdentitySourceKind.Header, raw["method.request.header.".Length..]),
                _ when raw.StartsWith("method.request.querystring.", StringComparison.Ordinal) => new(IdentitySourceKind.QueryString, raw["method.request.querystring.".Length..]),
                _ when raw.StartsWith("stageVariables.", StringComparison.Ordinal) => new(IdentitySourceKind.StageVariable, raw["stageVariables.".Length..]),
                _ when raw.StartsWith("context.", StringComparison.Ordinal) => new(IdentitySourceKind.Context, raw),
                _ => null,
            };
            if (source is { } parsed)
            {
                sources.Add(parsed);
            }
        }

        return [.. sources];
    }
}
