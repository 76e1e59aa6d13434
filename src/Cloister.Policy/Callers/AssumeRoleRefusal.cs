namespace Cloister.Policy.Callers;

/// <summary>Why <see cref="CallerDirectory.AssumeRole(AssumeRoleRequest)"/> issued no session.</summary>
public enum AssumeRoleRefusal
{
    /// <summary>It issued one.</summary>
    None,

    /// <summary>The templates declare no role of that ARN (STS's AccessDenied).</summary>
    UnknownRole,

    /// <summary>The role's trust policy or the caller's policies do not let it assume the role (STS's AccessDenied).</summary>
    NotAuthorized,

    /// <summary>The caller may assume the role but not pass a <c>SourceIdentity</c> (<c>sts:SetSourceIdentity</c>; STS's AccessDenied).</summary>
    SourceIdentityNotAuthorized,

    /// <summary>DurationSeconds is more than the role's <c>MaxSessionDuration</c> (STS's ValidationError).</summary>
    ExceedsMaxSessionDuration,

    /// <summary>DurationSeconds is more than an hour and the caller is itself a role session: role chaining (STS's ValidationError).</summary>
    ExceedsRoleChainingLimit,

    /// <summary>The inline session policy (<c>Policy</c>) is not a valid identity-based policy (STS's MalformedPolicyDocument).</summary>
    MalformedSessionPolicy,

    /// <summary>A <c>PolicyArns</c> ARN names no managed policy Cloister knows (Cloister's InvalidParameterValue).</summary>
    UnknownSessionPolicyArn,

    /// <summary>The session policies together are over STS's allowance (STS's PackedPolicyTooLarge).</summary>
    PackedPolicyTooLarge,
}
