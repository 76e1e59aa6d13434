using Cloister.Policy.Parsing;

namespace Cloister.Policy;

/// <summary>How a policy document is read.</summary>
/// <param name="Kind">Resource-based (needs a Principal) or identity-based (no Principal).</param>
/// <param name="Api">The API whose scope expands the <c>execute-api:/...</c> shorthand; without it the shorthand is an error.</param>
/// <param name="MaxCharacters">The size limit; 0 for none.</param>
/// <param name="CountWhitespace">
/// Whether whitespace outside strings counts towards <paramref name="MaxCharacters"/>: IAM and API Gateway leave it out,
/// a VPC endpoint policy's limit includes it.
/// </param>
public sealed record PolicyParseOptions(PolicyKind Kind = PolicyKind.Resource, ExecuteApiScope? Api = null, int MaxCharacters = 0, bool CountWhitespace = false)
{
    /// <summary>The size limit of an API Gateway resource policy.</summary>
    public const int ApiResourcePolicyLimit = 8192;

    /// <summary>The size limit of a VPC endpoint policy, whitespace included.</summary>
    public const int VpcEndpointPolicyLimit = 20480;

    /// <summary>
    /// Whether every <c>Sid</c> must be alphanumeric (<c>[0-9A-Za-z]*</c>), IAM's rule for the policies it stores: on by
    /// default for <see cref="PolicyKind.Identity"/> (a role's inline and managed policies, a permissions boundary), off for
    /// resource-based policies, which other services validate with rules of their own (spaces and hyphens are common),
    /// and for <see cref="ForAuthorizer"/>, which API Gateway reads, not IAM.
    /// </summary>
    public bool AlphanumericSids { get; init; } = Kind == PolicyKind.Identity;

    /// <summary>
    /// Whether the document must say <c>"Version": "2012-10-17"</c>: IAM refuses a managed policy (CreatePolicy,
    /// <c>AWS::IAM::ManagedPolicy</c>) without it or with <c>2008-10-17</c> (<c>Policy document must be version 2012-10-17 or
    /// greater.</c>), while inline policies and resource-based policies may still name the old version or none. Off by default.
    /// </summary>
    public bool RequiresCurrentVersion { get; init; }

    /// <summary>A resource policy with no API scope and no size limit.</summary>
    public static PolicyParseOptions Default { get; } = new();

    /// <summary>An API Gateway resource policy of the API <paramref name="api"/>: Principal required, shorthand expanded, 8,192 characters at most.</summary>
    public static PolicyParseOptions ForApi(ExecuteApiScope api) => new(PolicyKind.Resource, api, ApiResourcePolicyLimit);

    /// <summary>
    /// A VPC endpoint policy: resource-based (Principal required), no <c>execute-api:/...</c> shorthand (an endpoint
    /// serves every API), 20,480 characters at most counting whitespace.
    /// </summary>
    public static PolicyParseOptions ForVpcEndpoint { get; } = new(PolicyKind.Resource, MaxCharacters: VpcEndpointPolicyLimit, CountWhitespace: true);

    /// <summary>
    /// Why <paramref name="json"/> is over <see cref="MaxCharacters"/>, counted as these options say; null when it is
    /// within the limit or there is none. <see cref="Policy.Parse"/> reports the same problem; a caller that only needs
    /// the size (a template translator that leaves the rest to the service) asks here.
    /// </summary>
    public string? SizeProblem(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (MaxCharacters <= 0)
        {
            return null;
        }

        var size = CountWhitespace ? json.Length : PolicySize.Count(json);
        return size <= MaxCharacters
            ? null
            : $"Policy document is {size} characters long; the limit is {MaxCharacters} ({(CountWhitespace ? "whitespace included" : "whitespace outside strings not counted")}).";
    }

    /// <summary>A Lambda authorizer's output policy (identity-based; API Gateway, not IAM, reads it, so any <c>Sid</c> is taken).</summary>
    public static PolicyParseOptions ForAuthorizer { get; } = new(PolicyKind.Identity) { AlphanumericSids = false };
}
