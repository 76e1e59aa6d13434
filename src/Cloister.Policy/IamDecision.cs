namespace Cloister.Policy;

/// <summary>
/// What IAM decides for one action on one resource once every policy has spoken, and which policy decided it, so an
/// access denied message can say why (<c>because no identity-based policy allows the ... action</c>, <c>with an
/// explicit deny in a resource-based policy</c>...).
/// </summary>
/// <param name="Decision">Allow, explicit deny or implicit deny.</param>
/// <param name="Source">The policy type that decided it: <see cref="PolicySource.Identity"/>, <see cref="PolicySource.ResourcePolicy"/>,
/// <see cref="PolicySource.EndpointPolicy"/>, <see cref="PolicySource.PermissionsBoundary"/>, <see cref="PolicySource.SessionPolicy"/>, or <see cref="PolicySource.None"/> for the
/// account's root allowed because nothing stops it.</param>
/// <param name="PolicyIndex">For <see cref="PolicySource.Identity"/>, which of the caller's identity policies decided; otherwise -1.</param>
/// <param name="StatementIndex">The deciding statement in that policy, or -1 (an implicit deny).</param>
public readonly record struct IamDecision(Decision Decision, PolicySource Source, int PolicyIndex, int StatementIndex)
{
    /// <summary>Whether the request may proceed.</summary>
    public bool IsAllowed => Decision == Decision.Allow;

    /// <summary>
    /// IAM's access denied message for this decision, as every service words it:
    /// <c>User: {caller} is not authorized to perform: {action} on resource: {resource} because no {policy type} allows
    /// the {action} action</c>, or <c>... with an explicit deny in a {policy type}</c>.
    /// </summary>
    public string DeniedMessage(string caller, string action, string resource)
    {
        var type = Source switch
        {
            PolicySource.ResourcePolicy => "resource-based policy",
            PolicySource.EndpointPolicy => "VPC endpoint policy",
            PolicySource.PermissionsBoundary => "permissions boundary",
            PolicySource.SessionPolicy => "session policy",
            _ => "identity-based policy",
        };
        var reason = Decision == Decision.ExplicitDeny
            ? $"with an explicit deny in {(type[0] == 'i' ? "an" : "a")} {type}"
            : $"because no {type} allows the {action} action";
        return $"User: {caller} is not authorized to perform: {action} on resource: {resource} {reason}";
    }
}
