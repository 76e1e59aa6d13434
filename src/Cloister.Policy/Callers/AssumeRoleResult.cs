using Cloister.Model;

namespace Cloister.Policy.Callers;

/// <summary>What <see cref="CallerDirectory.AssumeRole(AssumeRoleRequest)"/> decided: a new session, or why not.</summary>
/// <param name="Refusal">Why no session was issued; <see cref="AssumeRoleRefusal.None"/> when one was.</param>
/// <param name="Credentials">The new session's credentials; null when refused.</param>
/// <param name="Session">The new session as its callers are known; null when refused.</param>
/// <param name="Decision">The IAM decision behind an <see cref="AssumeRoleRefusal.NotAuthorized"/> or <see cref="AssumeRoleRefusal.SourceIdentityNotAuthorized"/> refusal.</param>
/// <param name="Message">The words of a refusal of the session policies (what is wrong with the document...); empty otherwise.</param>
/// <param name="PackedPolicySize">How much of STS's allowance the session policies take, in percent; null when the call passed none.</param>
public sealed record AssumeRoleResult(
    AssumeRoleRefusal Refusal,
    SandboxCredentials? Credentials = null,
    CallerIdentity? Session = null,
    IamDecision Decision = default,
    string Message = "",
    int? PackedPolicySize = null)
{
    /// <summary>Whether a session was issued.</summary>
    public bool IsIssued => Refusal == AssumeRoleRefusal.None;
}
