using System.Collections.Immutable;

namespace Cloister.Model.Iam;

/// <summary>
/// An IAM role of the templates with every permissions policy that applies to it written out as JSON: its inline
/// <c>Policies</c>, the managed policies of <c>ManagedPolicyArns</c> (customer managed ones from the templates, AWS
/// managed ones from Cloister's copy), and every <c>AWS::IAM::Policy</c> or <c>AWS::IAM::ManagedPolicy</c> that names
/// the role in its <c>Roles</c>.
/// </summary>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="RoleName">The role's name (<c>RoleName</c>, or the generated one).</param>
/// <param name="Arn">The role's ARN, <c>arn:aws:iam::{account}:role{path}{name}</c>.</param>
/// <param name="RoleId">The role's unique id (<c>AROA...</c>), the first half of <c>aws:userid</c> for its sessions.</param>
/// <param name="Policies">The permissions policies, in template order.</param>
/// <param name="PermissionsBoundary">The permissions boundary's policy document as JSON; null without one.</param>
public sealed record IamRole(
    string LogicalId,
    string RoleName,
    string Arn,
    string RoleId,
    ImmutableArray<RolePolicy> Policies,
    string? PermissionsBoundary = null) : IResource
{
    /// <summary>IAM's default <see cref="MaxSessionDuration"/>: one hour.</summary>
    public const int DefaultMaxSessionDuration = 3600;

    /// <summary>The role's ARN.</summary>
    public string Id => Arn;

    /// <summary>
    /// The role's tags (<c>Tags</c>; SAM's generated role carries the function's and <c>lambda:createdBy</c>): its sessions'
    /// <c>aws:PrincipalTag/KEY</c> keys. Keys ignore case, as a role's tag keys do in IAM.
    /// </summary>
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// The role's trust policy (<c>AssumeRolePolicyDocument</c>) as compact JSON: who may assume the role, such as
    /// <c>lambda.amazonaws.com</c> for a function's execution role or <c>ec2.amazonaws.com</c> for an instance profile's.
    /// Null for a role built in code without one, which Cloister treats as trusting whoever uses it.
    /// </summary>
    public string? AssumeRolePolicy { get; init; }

    /// <summary>The longest session of the role, in seconds (<c>MaxSessionDuration</c>): 3,600 to 43,200, one hour by default.</summary>
    public int MaxSessionDuration { get; init; } = DefaultMaxSessionDuration;
}
