using System.Collections.Immutable;

namespace Cloister.Policy;

/// <summary>Why a policy decided what it did: the decision and how every statement fared.</summary>
/// <param name="Decision">The decision.</param>
/// <param name="Statements">Every statement's outcome, in document order.</param>
public sealed record PolicyExplanation(Decision Decision, ImmutableArray<StatementOutcome> Statements)
{
    /// <summary>
    /// The statements that decided: every applying Deny for an explicit deny, every applying Allow
    /// for an allow, none for an implicit deny.
    /// </summary>
    public ImmutableArray<StatementOutcome> DecidingStatements => Decision switch
    {
        Decision.ExplicitDeny => [.. Statements.Where(s => s.Applies && s.Effect == Effect.Deny)],
        Decision.Allow => [.. Statements.Where(s => s.Applies && s.Effect == Effect.Allow)],
        _ => [],
    };
}
