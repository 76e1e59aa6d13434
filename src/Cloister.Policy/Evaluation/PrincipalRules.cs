namespace Cloister.Policy.Evaluation;

/// <summary>
/// How the Principal element of a resource-based policy is read for one evaluation, where the services that combine
/// policies need more than "does it name the caller" (<see cref="IamAccess"/>). None: an account entry covers every
/// identity of the account, as it does for a policy evaluated on its own.
/// </summary>
[Flags]
internal enum PrincipalRules
{
    /// <summary>The Principal element as written.</summary>
    None = 0,

    /// <summary>
    /// An Allow that covers a caller other than the account's root only through its account does not apply: naming
    /// the account delegates to the account's IAM policies, it grants none of its identities anything by itself
    /// (a same-account resource policy). A Deny naming the account still applies to all its identities.
    /// </summary>
    AccountDelegates = 1,

    /// <summary>
    /// The caller is an IAM principal with a permissions boundary: a Deny with NotPrincipal applies to it whatever
    /// NotPrincipal lists, as IAM documents (a resource-based policy's NotPrincipal cannot exclude such a principal).
    /// </summary>
    CallerHasBoundary = 2,

    /// <summary>
    /// An account entry stands for the account's root user only, not every identity of the account: how a gateway VPC
    /// endpoint's policy (DynamoDB, S3) reads <c>"AWS": "ACCOUNT"</c> (VPC user guide, "Principals for gateway
    /// endpoints"; such a policy picks roles with <c>aws:PrincipalArn</c>).
    /// </summary>
    AccountIsRoot = 4,
}
