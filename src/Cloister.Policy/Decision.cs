namespace Cloister.Policy;

/// <summary>What a policy, or a set of policies, decides for one request.</summary>
public enum Decision
{
    /// <summary>No statement allowed the request and none denied it: denied by default.</summary>
    ImplicitDeny = 0,

    /// <summary>At least one statement allowed the request and none denied it.</summary>
    Allow = 1,

    /// <summary>At least one statement denied the request; this wins over any Allow.</summary>
    ExplicitDeny = 2,
}
