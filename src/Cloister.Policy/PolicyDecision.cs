namespace Cloister.Policy;

/// <summary>
/// The decision of one policy for one request, as a value that costs nothing to return: the decision
/// and the index of the first statement that decided it (-1 for an implicit deny).
/// <see cref="Policy.Explain"/> lists every deciding statement when a person asks why.
/// </summary>
/// <param name="Decision">Allow, explicit deny or implicit deny.</param>
/// <param name="StatementIndex">The index (in document order) of a statement that decided it, or -1.</param>
public readonly record struct PolicyDecision(Decision Decision, int StatementIndex)
{
    /// <summary>The decision of a policy none of whose statements applied.</summary>
    public static PolicyDecision Implicit => new(Decision.ImplicitDeny, -1);

    /// <summary>Whether the policy allowed the request.</summary>
    public bool IsAllowed => Decision == Decision.Allow;

    /// <summary>Whether a statement explicitly denied the request.</summary>
    public bool IsExplicitDeny => Decision == Decision.ExplicitDeny;
}
