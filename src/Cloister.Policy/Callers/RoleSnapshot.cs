using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Iam;
using Cloister.Model.Network;

namespace Cloister.Policy.Callers;

/// <summary>
/// The roles of one model as <see cref="CallerDirectory"/> judges callers by them, compiled once and never changed: a
/// deployment compiles a new snapshot and swaps it whole.
/// </summary>
internal sealed class RoleSnapshot
{
    private static readonly Policy AllowAll = Policy.Parse(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
        PolicyParseOptions.ForAuthorizer).Policy!;

    private readonly AccountContext _account;
    private readonly FrozenDictionary<string, IamRole> _rolesByName;
    private readonly FrozenDictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)> _compiled;

    // Roles only STS's AssumeRole reaches are compiled when first assumed, against this snapshot's roles.
    private readonly ConcurrentDictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)> _assumed = new(StringComparer.Ordinal);

    // Compiled when a session policy first names one: most stacks never pass PolicyArns.
    private readonly Lazy<FrozenDictionary<string, Policy>> _managed;

    private RoleSnapshot(
        AccountContext account,
        FrozenDictionary<string, IamRole> rolesByArn,
        FrozenDictionary<string, IamRole> rolesByName,
        FrozenDictionary<string, Policy> trustPolicies,
        FrozenDictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)> compiled,
        ImmutableArray<string> warnings,
        ImmutableArray<string> rolesOutsideModel)
    {
        _account = account;
        _managed = new(() => CompileManaged(rolesByArn.Values));
        RolesByArn = rolesByArn;
        _rolesByName = rolesByName;
        TrustPolicies = trustPolicies;
        _compiled = compiled;
        Warnings = warnings;
        RolesOutsideModel = rolesOutsideModel;
    }

    /// <summary>The model's roles by ARN.</summary>
    public FrozenDictionary<string, IamRole> RolesByArn { get; }

    /// <summary>The trust policies of the roles that have one, compiled (one that does not compile trusts no one).</summary>
    public FrozenDictionary<string, Policy> TrustPolicies { get; }

    /// <summary>The role policies left out because they do not compile.</summary>
    public ImmutableArray<string> Warnings { get; }

    /// <summary>
    /// The managed policies the model's roles attach under their ARNs (Cloister's copies of AWS managed policies),
    /// compiled: those a session policy's <c>PolicyArns</c> may name. One that does not compile is left out.
    /// </summary>
    public FrozenDictionary<string, Policy> ManagedPolicies => _managed.Value;

    /// <summary>The roles functions and instances use that the model does not hold, one line each with who uses it.</summary>
    public ImmutableArray<string> RolesOutsideModel { get; }

    /// <summary>
    /// The snapshot of <paramref name="model"/>'s roles. The roles of its functions and instances are compiled here, so
    /// their warnings are known when the model is applied.
    /// </summary>
    public static RoleSnapshot Compile(CloudModel model, AccountContext account)
    {
        var warnings = new List<string>();
        var outside = new List<string>();
        var rolesByArn = model.Roles.ToFrozenDictionary(r => r.Arn, StringComparer.Ordinal);
        var rolesByName = model.Roles.DistinctBy(r => r.RoleName, StringComparer.Ordinal).ToFrozenDictionary(r => r.RoleName, StringComparer.Ordinal);
        var trust = model.Roles.Where(r => r.AssumeRolePolicy is not null).DistinctBy(r => r.Arn, StringComparer.Ordinal)
            .ToFrozenDictionary(r => r.Arn, r => CompileTrust(r, warnings), StringComparer.Ordinal);
        var compiled = new Dictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)>(StringComparer.Ordinal);
        foreach (var function in model.Functions)
        {
            CompileOnce(RoleOf(function, account), $"function {function.FunctionName}");
        }

        foreach (var instance in model.Instances)
        {
            if (RoleOf(instance, rolesByName, account) is { } role)
            {
                CompileOnce(role, $"instance {instance.LogicalId}");
            }
        }

        return new RoleSnapshot(account, rolesByArn, rolesByName, trust, compiled.ToFrozenDictionary(StringComparer.Ordinal), [.. warnings], [.. outside]);

        void CompileOnce(string roleArn, string who)
        {
            if (compiled.ContainsKey(roleArn))
            {
                return;
            }

            compiled[roleArn] = PoliciesOf(rolesByArn, roleArn, warnings);
            if (!rolesByArn.ContainsKey(roleArn))
            {
                outside.Add($"The role {roleArn} of {who} is not in the templates; its calls are not limited by identity-based policies.");
            }
        }
    }

    /// <summary>The identity policies and permissions boundary of <paramref name="roleArn"/>'s sessions; everything allowed for a role the model does not declare (its policies are unknown).</summary>
    public (ImmutableArray<Policy> Policies, Policy? Boundary) PoliciesOf(string roleArn) =>
        _compiled.TryGetValue(roleArn, out var compiled) ? compiled : _assumed.GetOrAdd(roleArn, arn => PoliciesOf(RolesByArn, arn, []));

    /// <summary>The role of an instance's profile (the model holds its name); null without a profile.</summary>
    public string? RoleOf(Instance instance) => RoleOf(instance, _rolesByName, _account);

    /// <summary>A function's execution role; a model built without one gets a role of its own, named after the function.</summary>
    public static string RoleOf(LambdaFunction function, AccountContext account) => function.RoleArn ?? RoleArnOf("cloister-" + function.FunctionName, account);

    private static string? RoleOf(Instance instance, FrozenDictionary<string, IamRole> rolesByName, AccountContext account) =>
        instance.InstanceProfileRole is not { } name ? null
        : rolesByName.TryGetValue(name, out var declared) ? declared.Arn
        : RoleArnOf(name, account);

    private static string RoleArnOf(string name, AccountContext account) => $"arn:{account.Partition}:iam::{account.AccountId}:role/{name}";

    private static (ImmutableArray<Policy> Policies, Policy? Boundary) PoliciesOf(FrozenDictionary<string, IamRole> rolesByArn, string roleArn, List<string> warnings)
    {
        if (!rolesByArn.TryGetValue(roleArn, out var role))
        {
            return ([AllowAll], null);
        }

        var compiled = RolePolicies.Compile(role, warnings.Add);
        return (compiled.Identity, compiled.Boundary);
    }

    private static FrozenDictionary<string, Policy> CompileManaged(IEnumerable<IamRole> roles)
    {
        var managed = new Dictionary<string, Policy>(StringComparer.Ordinal);
        foreach (var attached in roles.SelectMany(r => r.Policies))
        {
            if (attached.Name.StartsWith("arn:", StringComparison.Ordinal) && attached.Name.Contains(":policy/", StringComparison.Ordinal)
                && !managed.ContainsKey(attached.Name) && Policy.Parse(attached.Document, PolicyParseOptions.ForAuthorizer).Policy is { } policy)
            {
                managed[attached.Name] = policy;
            }
        }

        return managed.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A role's trust policy compiled; one that does not compile trusts no one, with a warning.</summary>
    private static Policy CompileTrust(IamRole role, List<string> warnings)
    {
        var parsed = TrustPolicy.Parse(role.AssumeRolePolicy!);
        if (!parsed.IsValid)
        {
            warnings.Add($"The trust policy of role {role.RoleName} does not compile, so no one may assume the role: {parsed.ErrorMessage}");
        }

        return parsed.Policy ?? Policy.DenyAll;
    }
}
