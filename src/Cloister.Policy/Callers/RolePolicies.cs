using System.Collections.Immutable;
using Cloister.Model.Iam;

namespace Cloister.Policy.Callers;

/// <summary>A role's identity policies and permissions boundary, compiled as IAM reads them.</summary>
/// <param name="Identity">The policies that compile; one that does not is left out (see <see cref="Compile"/>).</param>
/// <param name="Boundary">The permissions boundary; null without one, or when it does not compile.</param>
/// <param name="BoundaryInvalid">Whether the role has a boundary that did not compile.</param>
public sealed record RolePolicies(ImmutableArray<Policy> Identity, Policy? Boundary, bool BoundaryInvalid)
{
    /// <summary>
    /// Compiles <paramref name="role"/>'s policies; each document that does not compile is left out and reported to
    /// <paramref name="leftOut"/> as one line naming the policy and the role.
    /// </summary>
    public static RolePolicies Compile(IamRole role, Action<string> leftOut)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(leftOut);
        var policies = ImmutableArray.CreateBuilder<Policy>(role.Policies.Length);
        foreach (var policy in role.Policies)
        {
            if (Parse(role, policy.Name, policy.Document, leftOut) is { } parsed)
            {
                policies.Add(parsed);
            }
        }

        var boundary = role.PermissionsBoundary is { } document ? Parse(role, "permissions boundary", document, leftOut) : null;
        return new RolePolicies(policies.ToImmutable(), boundary, role.PermissionsBoundary is not null && boundary is null);
    }

    private static Policy? Parse(IamRole role, string name, string document, Action<string> leftOut)
    {
        var parsed = Policy.Parse(document, PolicyParseOptions.ForAuthorizer);
        if (!parsed.IsValid)
        {
            leftOut($"Policy {name} of role {role.RoleName} is left out: {parsed.ErrorMessage}");
        }

        return parsed.Policy;
    }
}
