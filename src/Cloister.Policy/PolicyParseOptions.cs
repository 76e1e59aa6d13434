namespace Cloister.Policy;

/// <summary>How a policy document is read.</summary>
/// <param name="Kind">Resource-based (needs a Principal) or identity-based (no Principal).</param>
/// <param name="Api">The API whose scope expands the <c>execute-api:/...</c> shorthand; without it the shorthand is an error.</param>
/// <param name="MaxCharacters">The size limit, counted without whitespace outside strings; 0 for none.</param>
public sealed record PolicyParseOptions(PolicyKind Kind = PolicyKind.Resource, ExecuteApiScope? Api = null, int MaxCharacters = 0)
{
    /// <summary>The size limit of an API Gateway resource policy.</summary>
    public const int ApiResourcePolicyLimit = 8192;

    /// <summary>A resource policy with no API scope and no size limit.</summary>
    public static PolicyParseOptions Default { get; } = new();

    /// <summary>An API Gateway resource policy of the API <paramref name="api"/>: Principal required, shorthand expanded, 8,192 characters at most.</summary>
    public static PolicyParseOptions ForApi(ExecuteApiScope api) => new(PolicyKind.Resource, api, ApiResourcePolicyLimit);

    /// <summary>A Lambda authorizer's output policy (identity-based).</summary>
    public static PolicyParseOptions ForAuthorizer { get; } = new(PolicyKind.Identity);
}
