using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Iam;
using Cloister.Model.Network;

namespace Cloister.Policy.Callers;

/// <summary>
/// The sandbox's STS: the credentials each function (its execution role, session named after the function) and each
/// instance with an instance profile (its role, session named after the instance id) receive, and who a request
/// signed with an access key id is. Keys are derived from a secret of this directory and the time they are issued, so
/// nothing else can mint them. Every issued key is temporary, as on AWS, and stays known after it expires, so a
/// service can answer it as expired (<see cref="CallerIdentity.HasExpired"/>) rather than as a stranger's:
/// <list type="bullet">
/// <item>A function's credentials are new at each execution environment's init (<see cref="ForFunction"/>) and valid
/// <see cref="FunctionCredentialLifetime"/>.</item>
/// <item>An instance's are new every <see cref="InstanceCredentialRotation"/> from the directory's build, each set valid
/// <see cref="InstanceCredentialLifetime"/> (<see cref="ForInstance"/>), so the metadata service hands out new ones long
/// before the old expire, as EC2's does.</item>
/// <item>A session STS's AssumeRole issued (<see cref="AssumeRole(AssumeRoleRequest)"/>, judged by the role's trust policy and
/// the caller's policies) is valid its <c>DurationSeconds</c>.</item>
/// <item>A key this directory issued is its role session, with the role's policies from the templates; a role the
/// templates do not declare (a literal ARN of a role made elsewhere) has policies Cloister cannot know and is given
/// full access, with a warning.</item>
/// <item><see cref="SandboxCredentials.Default"/> and any other key are the developer's own credentials: the account's
/// root user, whom identity policies do not restrict (resource and endpoint policies still do), and whose keys never
/// expire. Only the default key's signature can be checked.</item>
/// </list>
/// </summary>
public sealed class CallerDirectory
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The longest session a role session may get by assuming a role (role chaining): one hour, whatever the role's <c>MaxSessionDuration</c>.</summary>
    public const int RoleChainingLimitSeconds = 3600;

    /// <summary>How long a function's credentials are valid from its execution environment's init: 12 hours (Lambda does not say; an environment is recycled sooner).</summary>
    public static readonly TimeSpan FunctionCredentialLifetime = TimeSpan.FromHours(12);

    /// <summary>How long each set of an instance profile's credentials is valid: 6 hours, as EC2's.</summary>
    public static readonly TimeSpan InstanceCredentialLifetime = TimeSpan.FromHours(6);

    /// <summary>
    /// How often an instance profile's credentials are renewed: every hour, so the metadata service hands out a new set
    /// 5 hours before the old one expires (EC2: "at least five minutes before the expiration of the old credentials").
    /// </summary>
    public static readonly TimeSpan InstanceCredentialRotation = TimeSpan.FromHours(1);

    private static readonly Policy AllowAll = Policy.Parse(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
        PolicyParseOptions.ForAuthorizer).Policy!;

    private readonly byte[] _key;
    private readonly AccountContext _account;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _builtAt;
    private readonly FrozenDictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)> _issuedPolicies;
    private readonly FrozenDictionary<string, IamRole> _rolesByArn;
    private readonly FrozenDictionary<string, IamRole> _rolesByName;
    private readonly FrozenDictionary<string, Policy> _trustPolicies;
    private readonly CallerIdentity _root;
    private readonly CallerIdentity _developer;
    private readonly ConcurrentDictionary<string, CallerIdentity> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)> _assumedPolicies = new(StringComparer.Ordinal);

    private CallerDirectory(CloudModel model, byte[] key, TimeProvider time)
    {
        var warnings = new List<string>();
        var outside = new List<string>();
        _key = key;
        _time = time;
        _builtAt = time.GetUtcNow();
        _account = model.Account;
        _rolesByArn = model.Roles.ToFrozenDictionary(r => r.Arn, StringComparer.Ordinal);
        _rolesByName = model.Roles.DistinctBy(r => r.RoleName, StringComparer.Ordinal).ToFrozenDictionary(r => r.RoleName, StringComparer.Ordinal);
        _trustPolicies = model.Roles.Where(r => r.AssumeRolePolicy is not null).DistinctBy(r => r.Arn, StringComparer.Ordinal)
            .ToFrozenDictionary(r => r.Arn, r => CompileTrust(r, warnings), StringComparer.Ordinal);
        var rootPrincipal = RequestPrincipal.Aws($"arn:{_account.Partition}:iam::{_account.AccountId}:root");
        _root = new CallerIdentity(rootPrincipal, _account.AccountId, null, [], null, IsRoot: true);
        _developer = _root with { SecretAccessKey = SandboxCredentials.Default.SecretAccessKey, SessionToken = SandboxCredentials.Default.SessionToken };

        // The roles of functions and instances are compiled once, here, so their warnings are known at up.
        var compiled = new Dictionary<string, (ImmutableArray<Policy> Policies, Policy? Boundary)>(StringComparer.Ordinal);
        foreach (var function in model.Functions)
        {
            CompileOnce(RoleOf(function), $"function {function.FunctionName}");
        }

        foreach (var instance in model.Instances)
        {
            if (RoleOf(instance) is { } role)
            {
                CompileOnce(role, $"instance {instance.LogicalId}");
            }
        }

        _issuedPolicies = compiled.ToFrozenDictionary(StringComparer.Ordinal);
        Warnings = [.. warnings];
        RolesOutsideModel = [.. outside];

        void CompileOnce(string roleArn, string who)
        {
            if (compiled.ContainsKey(roleArn))
            {
                return;
            }

            compiled[roleArn] = PoliciesOf(roleArn, warnings);
            if (!_rolesByArn.ContainsKey(roleArn))
            {
                outside.Add($"The role {roleArn} of {who} is not in the templates; its calls are not limited by identity-based policies.");
            }
        }
    }

    /// <summary>The role policies left out because they do not compile (a trust policy that does not compile trusts no one).</summary>
    public ImmutableArray<string> Warnings { get; }

    /// <summary>
    /// The roles callers use that the model does not hold, one line each with who uses it: those callers' calls are not
    /// limited by identity-based policies. Templates report these themselves, at the property that names the role.
    /// </summary>
    public ImmutableArray<string> RolesOutsideModel { get; }

    /// <summary>A directory for <paramref name="model"/> with a fresh random secret.</summary>
    public static CallerDirectory Build(CloudModel model) => Build(model, RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A directory for <paramref name="model"/> whose credentials derive from <paramref name="secret"/>, issued by the
    /// clock <paramref name="time"/> (the system clock when null): their sessions' <c>aws:TokenIssueTime</c> (to the
    /// second) and their expiry. Instance credentials are renewed every <see cref="InstanceCredentialRotation"/> from now.
    /// </summary>
    public static CallerDirectory Build(CloudModel model, ReadOnlySpan<byte> secret, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new CallerDirectory(model, secret.ToArray(), time ?? TimeProvider.System);
    }

    /// <summary>
    /// New credentials of <paramref name="function"/>'s execution role session, for an execution environment starting
    /// now: valid <see cref="FunctionCredentialLifetime"/>, known to <see cref="Find"/> from now on.
    /// </summary>
    public SandboxCredentials ForFunction(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var now = _time.GetUtcNow();
        return Issue(RoleOf(function), function.FunctionName, "init " + now.UtcTicks.ToString(CultureInfo.InvariantCulture), now, now + FunctionCredentialLifetime);
    }

    /// <summary>
    /// The current credentials of <paramref name="instance"/>'s instance profile role (null without a profile): the
    /// same within each <see cref="InstanceCredentialRotation"/> since the directory was built, new in the next, each
    /// set valid <see cref="InstanceCredentialLifetime"/> from when it was first handed out.
    /// </summary>
    public SandboxCredentials? ForInstance(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (RoleOf(instance) is not { } role)
        {
            return null;
        }

        var rotations = Math.Max(0, (_time.GetUtcNow() - _builtAt).Ticks / InstanceCredentialRotation.Ticks);
        var issuedAt = _builtAt + (InstanceCredentialRotation * rotations);
        return Issue(role, instance.Id, "rotation " + rotations.ToString(CultureInfo.InvariantCulture), issuedAt, issuedAt + InstanceCredentialLifetime);
    }

    /// <summary>
    /// A new session of <paramref name="roleArn"/> named <paramref name="session"/>, as STS's AssumeRole issues it: new
    /// credentials (unique to this call) that <see cref="Find"/> knows from now on, with the role's policies, issued at
    /// <paramref name="issuedAt"/> and valid <paramref name="duration"/> (an hour, STS's default, when null). Null when
    /// the templates do not declare the role (its policies are unknown). Issues without judging:
    /// <see cref="AssumeRole(AssumeRoleRequest)"/> decides first whether the caller may assume it.
    /// </summary>
    public (SandboxCredentials Credentials, CallerIdentity Session)? AssumeRole(string roleArn, string session, DateTimeOffset issuedAt, TimeSpan? duration = null)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        ArgumentNullException.ThrowIfNull(session);
        if (!_rolesByArn.ContainsKey(roleArn))
        {
            return null;
        }

        var credentials = Issue(roleArn, session, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), issuedAt, issuedAt + (duration ?? TimeSpan.FromHours(1)));
        return (credentials, _sessions[credentials.AccessKeyId]);
    }

    /// <summary>
    /// STS's AssumeRole: whether <see cref="AssumeRoleRequest.Caller"/> may assume the role the request's context names,
    /// and if so a new session (<see cref="AssumeRole(string, string, DateTimeOffset, TimeSpan?)"/>) issued at the context's time. The
    /// role's trust policy is judged with the caller's policies as IAM does (<see cref="IamAccess.EvaluateRoleTrust"/>; a
    /// role built without one trusts whoever its caller's policies let assume it); a <c>SourceIdentity</c> needs
    /// <c>sts:SetSourceIdentity</c> too. Then the session's length: no more than the role's <c>MaxSessionDuration</c>,
    /// and no more than an hour for a caller that is itself a role session (role chaining), checked in that order.
    /// </summary>
    public AssumeRoleResult AssumeRole(AssumeRoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.Context;
        var roleArn = context.Resource;
        if (!_rolesByArn.TryGetValue(roleArn, out var role))
        {
            return new AssumeRoleResult(AssumeRoleRefusal.UnknownRole);
        }

        var trust = _trustPolicies.GetValueOrDefault(roleArn);
        var decision = Judge(request.Caller, context, trust);
        if (!decision.IsAllowed)
        {
            return new AssumeRoleResult(AssumeRoleRefusal.NotAuthorized, Decision: decision);
        }

        if (request.SetsSourceIdentity)
        {
            var action = context.Action;
            context.Action = "sts:SetSourceIdentity";
            decision = Judge(request.Caller, context, trust);
            context.Action = action;
            if (!decision.IsAllowed)
            {
                return new AssumeRoleResult(AssumeRoleRefusal.SourceIdentityNotAuthorized, Decision: decision);
            }
        }

        if (request.DurationSeconds > role.MaxSessionDuration)
        {
            return new AssumeRoleResult(AssumeRoleRefusal.ExceedsMaxSessionDuration);
        }

        if (request.DurationSeconds > RoleChainingLimitSeconds && request.Caller.Principal.RoleArn is not null)
        {
            return new AssumeRoleResult(AssumeRoleRefusal.ExceedsRoleChainingLimit);
        }

        var (credentials, session) = AssumeRole(roleArn, request.SessionName, context.RequestTime ?? _time.GetUtcNow(), TimeSpan.FromSeconds(request.DurationSeconds))!.Value;
        return new AssumeRoleResult(AssumeRoleRefusal.None, credentials, session);

        static IamDecision Judge(CallerIdentity caller, RequestContext context, Policy? trust) => trust is null
            ? IamAccess.Evaluate(context, caller, resourcePolicy: null, endpointPolicy: null)
            : IamAccess.EvaluateRoleTrust(context, caller, trust);
    }

    /// <summary>
    /// Who signs with <paramref name="accessKeyId"/>: a role session this directory issued (expired or not: its
    /// <see cref="CallerIdentity.Expiration"/> says), else the account's root (see the class summary).
    /// </summary>
    public CallerIdentity Find(string accessKeyId) =>
        _sessions.TryGetValue(accessKeyId, out var session) ? session
        : accessKeyId == SandboxCredentials.Default.AccessKeyId ? _developer
        : _root;

    /// <summary>
    /// Credentials of <paramref name="roleArn"/>'s session <paramref name="session"/>, told apart from its other sets by
    /// <paramref name="issue"/>, known to <see cref="Find"/> from now on (the same set twice is issued once).
    /// </summary>
    private SandboxCredentials Issue(string roleArn, string session, string issue, DateTimeOffset issuedAt, DateTimeOffset expiration)
    {
        var credentials = Derive(roleArn, session + "\n" + issue) with { Expiration = expiration, IssuedAt = issuedAt };
        _sessions.GetOrAdd(credentials.AccessKeyId, _ =>
        {
            _rolesByArn.TryGetValue(roleArn, out var role);
            var policies = _issuedPolicies.TryGetValue(roleArn, out var compiled) ? compiled : _assumedPolicies.GetOrAdd(roleArn, arn => PoliciesOf(arn, []));
            return Session(roleArn, session, role, policies, issuedAt, credentials);
        });
        return credentials;
    }

    /// <summary>A role's policies compiled; a role the templates do not declare is allowed everything (its policies are unknown).</summary>
    private (ImmutableArray<Policy> Policies, Policy? Boundary) PoliciesOf(string roleArn, List<string> warnings) =>
        _rolesByArn.TryGetValue(roleArn, out var role) ? Compile(role, warnings) : ([AllowAll], null);

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

    private static (ImmutableArray<Policy> Policies, Policy? Boundary) Compile(IamRole role, List<string> warnings)
    {
        var compiled = RolePolicies.Compile(role, warnings.Add);
        return (compiled.Identity, compiled.Boundary);
    }

    /// <summary>The caller of a role session: <c>assumed-role/{role name}/{session}</c>, <c>{role id}:{session}</c>, the role's policies and tags.</summary>
    private CallerIdentity Session(string roleArn, string session, IamRole? role, (ImmutableArray<Policy> Policies, Policy? Boundary) policies, DateTimeOffset issuedAt, SandboxCredentials credentials)
    {
        var principal = RequestPrincipal.RoleSession(
            $"arn:{_account.Partition}:sts::{_account.AccountId}:assumed-role/{NameOf(roleArn)}/{session}", roleArn, issuedAt, role?.Tags ?? ImmutableDictionary<string, string>.Empty);
        var roleId = role?.RoleId ?? "AROA" + Encode(Hash("role-id\n" + roleArn), 17);
        return new CallerIdentity(principal, roleId + ":" + session, credentials.SecretAccessKey, policies.Policies, policies.Boundary, IsRoot: false, credentials.SessionToken)
        {
            Expiration = credentials.Expiration,
        };
    }

    /// <summary>A function's execution role; a model built without one gets a role of its own, named after the function.</summary>
    private string RoleOf(LambdaFunction function) => function.RoleArn ?? RoleArnOf("cloister-" + function.FunctionName);

    /// <summary>The role of an instance's profile (the model holds its name); null without a profile.</summary>
    private string? RoleOf(Instance instance) =>
        instance.InstanceProfileRole is not { } name ? null
        : _rolesByName.TryGetValue(name, out var declared) ? declared.Arn
        : RoleArnOf(name);

    private static string NameOf(string roleArn) => roleArn[(roleArn.LastIndexOf('/') + 1)..];

    private string RoleArnOf(string name) => $"arn:{_account.Partition}:iam::{_account.AccountId}:role/{name}";

    private SandboxCredentials Derive(string roleArn, string session)
    {
        var principal = roleArn + "\n" + session;
        var keyId = "ASIA" + Encode(Hash("access-key-id\n" + principal), 16);
        var secret = Convert.ToBase64String(Hash("secret-access-key\n" + principal).AsSpan(0, 30));
        var token = Convert.ToBase64String(Hash("session-token\n" + principal));
        return new SandboxCredentials(keyId, secret, "IQoJb3JpZ2luX2VjE" + token);
    }

    private byte[] Hash(string text) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text));

    private static string Encode(byte[] bytes, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Base32[bytes[i] & 31];
        }

        return new string(chars);
    }
}
