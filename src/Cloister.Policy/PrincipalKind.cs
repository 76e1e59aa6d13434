namespace Cloister.Policy;

/// <summary>Who is calling, as far as a resource policy's Principal element is concerned.</summary>
public enum PrincipalKind
{
    /// <summary>An unauthenticated caller: matches only <c>"*"</c> and <c>{"AWS": "*"}</c>.</summary>
    Anonymous = 0,

    /// <summary>An IAM identity (account root, user, role session, federated user).</summary>
    Aws,

    /// <summary>An AWS service, such as <c>lambda.amazonaws.com</c>.</summary>
    Service,

    /// <summary>A web identity or SAML provider.</summary>
    Federated,

    /// <summary>An S3 canonical user id.</summary>
    CanonicalUser,
}
