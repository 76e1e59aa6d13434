namespace Cloister.Policy.Evaluation;

/// <summary>
/// A compiled Principal (or NotPrincipal) element: <c>"*"</c> and <c>{"AWS": "*"}</c> match every
/// caller including anonymous ones; anything else is a list of <see cref="PrincipalEntry"/>.
/// </summary>
/// <param name="Everyone">Whether the element names every principal.</param>
/// <param name="Entries">The principals named.</param>
internal sealed record PrincipalMatcher(bool Everyone, PrincipalEntry[] Entries)
{
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
}
