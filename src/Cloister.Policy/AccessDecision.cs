namespace Cloister.Policy;

/// <summary>What API Gateway decides for a request once every policy has spoken, and which policy and statement decided it.</summary>
/// <param name="Decision">Allow, explicit deny or implicit deny.</param>
/// <param name="Source">The policy that decided it.</param>
/// <param name="StatementIndex">The deciding statement in that policy, or -1.</param>
public readonly record struct AccessDecision(Decision Decision, PolicySource Source, int StatementIndex)
{
    /// <summary>Whether the request may proceed.</summary>
    public bool IsAllowed => Decision == Decision.Allow;
}
