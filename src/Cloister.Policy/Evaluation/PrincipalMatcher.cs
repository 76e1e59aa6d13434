namespace Cloister.Policy.Evaluation;

/// <summary>
/// A compiled Principal (or NotPrincipal) element: <c>"*"</c> and <c>{"AWS": "*"}</c> match every
/// caller including anonymous ones; anything else is a list of <see cref="PrincipalEntry"/>.
/// </summary>
/// <param name="Everyone">Whether the element names every principal.</param>
/// <param name="Entries">The principals named.</param>
internal sealed record PrincipalMatcher(bool Everyone, PrincipalEntry[] Entries)
{
    /// <summary>
    /// Principal: how the element covers the caller, the strongest of its entries (a role session is covered by its
    /// session ARN, its role's ARN, its account or <c>"*"</c>).
    /// </summary>
    public PrincipalMatch Match(RequestPrincipal principal)
    {
        var best = Everyone ? PrincipalMatch.Everyone : PrincipalMatch.None;
        foreach (var entry in Entries)
        {
            var match = entry.Match(principal);
            if (match > best)
            {
                best = match;
                if (best == PrincipalMatch.Caller)
                {
                    break;
                }
            }
        }

        return best;
    }

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
            return Match(principal) != PrincipalMatch.None;
        }

        return (principal.IsAccountRoot || Lists(principal.Identifier, isAccount: false))
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
