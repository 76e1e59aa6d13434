namespace Cloister.Policy;

/// <summary>Which of the policies consulted for a request decided it (API Gateway's, or IAM's within one account).</summary>
public enum PolicySource
{
    /// <summary>No policy decided: a public API with no resource policy and no authorizer.</summary>
    None = 0,

    /// <summary>The resource-based policy: the API's, or a table's.</summary>
    ResourcePolicy,

    /// <summary>The policy of the VPC endpoint the request came through.</summary>
    EndpointPolicy,

    /// <summary>The policy a Lambda authorizer returned.</summary>
    Authorizer,

    /// <summary>The execute-api policy of the private custom domain name the request was made to.</summary>
    DomainPolicy,

    /// <summary>The identity-based (permissions) policies of the caller's identity.</summary>
    Identity,

    /// <summary>The permissions boundary of the caller's identity.</summary>
    PermissionsBoundary,

    /// <summary>The session policies passed when the caller's role session was issued (STS AssumeRole's <c>Policy</c> and <c>PolicyArns</c>).</summary>
    SessionPolicy,
}
