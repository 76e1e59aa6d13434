namespace Cloister.Policy.Evaluation;

/// <summary>How a Principal element covers a caller, weakest first; the services' evaluation logic depends on it.</summary>
internal enum PrincipalMatch
{
    /// <summary>The element does not name the caller.</summary>
    None = 0,

    /// <summary>Only through the caller's account: naming an account delegates to that account's IAM policies.</summary>
    Account,

    /// <summary>Through <c>"*"</c> (or <c>{"AWS": "*"}</c>).</summary>
    Everyone,

    /// <summary>Through the role of a role session (the role's ARN covers its sessions).</summary>
    Role,

    /// <summary>The caller's own identity: a session's ARN, a user's ARN, the account for its root, a service's name.</summary>
    Caller,
}
