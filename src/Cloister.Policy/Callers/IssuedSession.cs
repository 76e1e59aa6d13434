using System.Collections.Immutable;
using Cloister.Model;

namespace Cloister.Policy.Callers;

/// <summary>
/// A role session <see cref="CallerDirectory"/> issued: what stays for its life (role, name, role id, time, keys) and
/// its identity as last built, with the roles it was built from, so a change of roles rebuilds it once.
/// </summary>
/// <param name="RoleArn">The role it is a session of.</param>
/// <param name="SessionName">The session's name (the function, the instance id, the <c>RoleSessionName</c>).</param>
/// <param name="RoleId">The role's unique id when it was issued (its <c>AROA…</c> id, or one derived from the ARN for a role outside the templates).</param>
/// <param name="Declared">Whether the templates declared the role when it was issued: a session of a declared role loses every permission once the role is gone.</param>
/// <param name="IssuedAt">When it was issued (<c>aws:TokenIssueTime</c>).</param>
/// <param name="Credentials">Its keys.</param>
/// <param name="Roles">The roles <paramref name="Identity"/> was built from.</param>
/// <param name="Identity">The caller it is, with its role's policies in <paramref name="Roles"/>.</param>
/// <param name="SessionPolicies">The session policies it was issued with (AssumeRole's <c>Policy</c>, <c>PolicyArns</c>), which limit it for its whole life; empty without any.</param>
internal sealed record IssuedSession(
    string RoleArn,
    string SessionName,
    string RoleId,
    bool Declared,
    DateTimeOffset IssuedAt,
    SandboxCredentials Credentials,
    RoleSnapshot Roles,
    CallerIdentity Identity,
    ImmutableArray<Policy> SessionPolicies);
