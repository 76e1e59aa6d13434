namespace Cloister.Gateway.Ports;

/// <summary>The outcome of evaluating a policy for one request, in IAM's terms.</summary>
public enum PolicyDecision
{
    /// <summary>No statement allowed the request and none denied it.</summary>
    ImplicitDeny,

    /// <summary>A statement allowed the request and none denied it.</summary>
    Allow,

    /// <summary>A statement denied the request; nothing can override it.</summary>
    ExplicitDeny,
}
