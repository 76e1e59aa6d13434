namespace Cloister.Policy.Evaluation;

/// <summary>
/// A compiled Principal (or NotPrincipal) element: <c>"*"</c> and <c>{"AWS": "*"}</c> match every
/// caller including anonymous ones; anything else is a list of <see cref="PrincipalEntry"/>.
/// </summary>
/// <param name="Everyone">Whether the element names every principal.</param>
/// <param name="Entries">The principals named.</param>
internal sealed record PrincipalMatcher(bool Everyone, PrincipalEntry[] Entries)
{
    /// <summary>Principal: the caller is named when any of its identities is (its account covers it, a role covers its sessions).</summary>
    public bool Matches(RequestPrincipal principal)
    {
        if (Everyone)
        {
            return true;
        }

        foreach (var entry in Entries)
        {
            if (entry.Matches(principal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the element names the caller's own ARN — a role session's session ARN, a user's ARN — rather than
    /// covering it through its role, its account or <c>"*"</c>. IAM lets such a grant stand without the
    /// identity's permissions boundary (a same-account grant to the session itself).
    /// </summary>
    public bool NamesExactly(RequestPrincipal principal) =>
        principal.Kind == PrincipalKind.Aws && principal.Identifier is { } identifier && Lists(identifier, isAccount: false);

    /// <summary>
    /// NotPrincipal: the caller is excluded only when every identity it carries is listed — for a role
    /// session its session ARN, its role ARN and its account; for a user its ARN and its account — as
    /// AWS documents for NotPrincipal with Deny. Anonymous callers are excluded only by <c>"*"</c>.
    /// </summary>
    public bool ExcludesAllIdentitiesOf(RequestPrincipal principal)
    {
        if (Everyone)
        {
            return true;
        }

        if (principal.Kind == PrincipalKind.Anonymous)
        {
            return false;
        }

        if (principal.Kind != PrincipalKind.Aws)
        {
            return Matches(principal);
        }

        var isRoot = principal.Identifier is { } id && id.EndsWith(":root", StringComparison.Ordinal);
        return (isRoot || Lists(principal.Identifier, isAccount: false))
            && (principal.RoleArn is null || Lists(principal.RoleArn, isAccount: false))
            && (principal.Account is null || Lists(principal.Account, isAccount: true));
    }

    private bool Lists(string? value, bool isAccount)
    {
        foreach (var entry in Entries)
        {
            if (entry.Kind == PrincipalKind.Aws && entry.IsAccount == isAccount && string.Equals(entry.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
