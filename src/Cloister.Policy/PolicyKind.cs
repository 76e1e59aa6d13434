namespace Cloister.Policy;

/// <summary>Which kind of policy a document is; it decides whether a Principal is required or forbidden.</summary>
public enum PolicyKind
{
    /// <summary>A resource-based policy (API resource policy, VPC endpoint policy, private domain policy): every statement names a Principal or NotPrincipal.</summary>
    Resource,

    /// <summary>An identity-based policy (a Lambda authorizer's policy, an IAM policy): no Principal, and every statement names a Resource or NotResource.</summary>
    Identity,
}
