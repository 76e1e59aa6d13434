using Cloister.Policy.Conditions;
using Cloister.Policy.Matching;

namespace Cloister.Policy.Evaluation;

/// <summary>
/// A statement compiled for evaluation. It applies to a request when its principal, action, resource
/// and every condition match; the checks run cheapest first and stop at the first that fails.
/// </summary>
internal sealed class CompiledStatement
{
    public required int Index { get; init; }

    public required string? Sid { get; init; }

    public required Effect Effect { get; init; }

    /// <summary>The Principal or NotPrincipal element; null when the statement has neither (identity policies).</summary>
    public required PrincipalMatcher? Principal { get; init; }

    public required bool NotPrincipal { get; init; }

    public required ActionPattern[] Actions { get; init; }

    public required bool NotAction { get; init; }

    /// <summary>The Resource or NotResource patterns; empty when the statement has neither (authorizer policies always name one).</summary>
    public required ArnPattern[] Resources { get; init; }

    public required bool NotResource { get; init; }

    public required CompiledCondition[] Conditions { get; init; }

    /// <summary>Whether the statement applies to the request, its Principal read by <paramref name="rules"/>.</summary>
    public bool Applies(RequestContext context, PrincipalRules rules = PrincipalRules.None) => FirstMismatch(context, rules) == Mismatch.None;

    /// <summary>Which element stopped the statement from applying, for explanations.</summary>
    public Mismatch FirstMismatch(RequestContext context, PrincipalRules rules = PrincipalRules.None)
    {
        if (!MatchesAction(context.Action))
        {
            return Mismatch.Action;
        }

        if (!MatchesResource(context))
        {
            return Mismatch.Resource;
        }

        if (Principal is not null && !Covers(Principal, context.Principal, rules))
        {
            return Mismatch.Principal;
        }

        for (var i = 0; i < Conditions.Length; i++)
        {
            if (!Conditions[i].Evaluate(context))
            {
                return Mismatch.Condition + i;
            }
        }

        return Mismatch.None;
    }

    /// <summary>
    /// Whether the statement's Principal names <paramref name="caller"/> itself rather than covering it through its role,
    /// its account or <c>"*"</c>: it lists the caller's own ARN (a role session's session ARN, a user's ARN), or it is
    /// <c>"*"</c> with a condition picking principals by <c>aws:PrincipalArn</c>. Within one account IAM does not limit
    /// such a grant by the caller's permissions boundary. Without <paramref name="byPrincipalArn"/> only the own ARN
    /// counts (a role session's <c>aws:PrincipalArn</c> is its role's ARN, and session policies limit such a grant).
    /// </summary>
    public bool NamesCaller(RequestPrincipal caller, bool byPrincipalArn = true)
    {
        if (Principal is null || NotPrincipal)
        {
            return false;
        }

        if (Principal.Match(caller) == PrincipalMatch.Caller)
        {
            return true;
        }

        if (byPrincipalArn && Principal.Everyone)
        {
            foreach (var condition in Conditions)
            {
                if (condition.SelectsByPrincipalArn)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool Covers(PrincipalMatcher principal, RequestPrincipal caller, PrincipalRules rules)
    {
        if (NotPrincipal)
        {
            return (Effect == Effect.Deny && (rules & PrincipalRules.CallerHasBoundary) != 0 && caller.Kind == PrincipalKind.Aws)
                || !principal.ExcludesAllIdentitiesOf(caller);
        }

        // An account match is never the root's own (that is PrincipalMatch.Caller): it covers one of the account's identities.
        var match = principal.Match(caller);
        return match > PrincipalMatch.Account
            || (match == PrincipalMatch.Account
                && (rules & PrincipalRules.AccountIsRoot) == 0
                && (Effect == Effect.Deny || (rules & PrincipalRules.AccountDelegates) == 0));
    }

    private bool MatchesAction(string action)
    {
        foreach (var pattern in Actions)
        {
            if (pattern.Matches(action))
            {
                return !NotAction;
            }
        }

        return NotAction;
    }

    private bool MatchesResource(RequestContext context)
    {
        if (Resources.Length == 0)
        {
            return true;
        }

        foreach (var pattern in Resources)
        {
            if (pattern.IsMatch(context.Resource, context))
            {
                return !NotResource;
            }
        }

        return NotResource;
    }
}
