namespace Cloister.Policy;

/// <summary>Which of the policies API Gateway consults decided a request.</summary>
public enum PolicySource
{
    /// <summary>No policy decided: a public API with no resource policy and no authorizer.</summary>
    None = 0,

    /// <summary>The API's resource policy.</summary>
    ResourcePolicy,

    /// <summary>The policy of the VPC endpoint the request came through.</summary>
    EndpointPolicy,

    /// <summary>The policy a Lambda authorizer returned.</summary>
    Authorizer,

    /// <summary>The execute-api policy of the private custom domain name the request was made to.</summary>
    DomainPolicy,

    /// <summary>The IAM caller's identity-based policies.</summary>
    Identity,
}
