using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloister.Model;
using Cloister.Model.Compute;
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
/// the caller's policies) is valid its <c>DurationSeconds</c>, and limited for its whole life by the session policies
/// the call passed (<see cref="CallerIdentity.SessionPolicies"/>).</item>
/// <item>A key this directory issued is its role session, with the role's policies from the templates as they are now
/// (<see cref="Apply"/> swaps them when the templates change, the keys staying valid); a role the
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

    private readonly byte[] _key;
    private readonly AccountContext _account;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _builtAt;
    private readonly CallerIdentity _root;
    private readonly CallerIdentity _developer;
    private readonly ConcurrentDictionary<string, IssuedSession> _sessions = new(StringComparer.Ordinal);
    private volatile RoleSnapshot _roles;

    private CallerDirectory(CloudModel model, byte[] key, TimeProvider time)
    {
        _key = key;
        _time = time;
        _builtAt = time.GetUtcNow();
        _account = model.Account;
        var rootPrincipal = RequestPrincipal.Aws($"arn:{_account.Partition}:iam::{_account.AccountId}:root");
        _root = new CallerIdentity(rootPrincipal, _account.AccountId, null, [], null, IsRoot: true);
        _developer = _root with { SecretAccessKey = SandboxCredentials.Default.SecretAccessKey, SessionToken = SandboxCredentials.Default.SessionToken };
        _roles = RoleSnapshot.Compile(model, _account);
    }

    /// <summary>The role policies left out because they do not compile (a trust policy that does not compile trusts no one).</summary>
    public ImmutableArray<string> Warnings => _roles.Warnings;

    /// <summary>
    /// The roles callers use that the model does not hold, one line each with who uses it: those callers' calls are not
    /// limited by identity-based policies. Templates report these themselves, at the property that names the role.
    /// </summary>
    public ImmutableArray<string> RolesOutsideModel => _roles.RolesOutsideModel;

    /// <summary>
    /// Swaps the roles, their policies, permissions boundaries and trust policies for those of <paramref name="model"/>
    /// (a deployment to running stacks), keeping this directory's secret and every key it issued: the next request signed
    /// with any of them is judged by the new policies, as IAM judges a session's every request by its role's policies
    /// of the moment (IAM takes seconds to spread a change; this applies it at once). A session of a role the model no
    /// longer declares (or declares anew, with another role id) keeps its identity but has no policy left, so everything
    /// it asks is denied, as on AWS once a role's policies are detached and the role is deleted. Returns the new
    /// <see cref="Warnings"/>.
    /// </summary>
    public ImmutableArray<string> Apply(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var next = RoleSnapshot.Compile(model, _account);
        // Sessions are brought to the new roles as they are next found (Find), so this swap is the whole change.
        _roles = next;
        return next.Warnings;
    }

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
    /// <see cref="AssumeRole(AssumeRoleRequest)"/> decides first whether the caller may assume it. The session is limited
    /// by <paramref name="sessionPolicies"/> (none when default or empty) for its whole life.
    /// </summary>
    public (SandboxCredentials Credentials, CallerIdentity Session)? AssumeRole(
        string roleArn, string session, DateTimeOffset issuedAt, TimeSpan? duration = null, ImmutableArray<Policy> sessionPolicies = default)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        ArgumentNullException.ThrowIfNull(session);
        if (!_roles.RolesByArn.ContainsKey(roleArn))
        {
            return null;
        }

        var credentials = Issue(
            roleArn, session, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), issuedAt, issuedAt + (duration ?? TimeSpan.FromHours(1)), sessionPolicies);
        return (credentials, Find(credentials.AccessKeyId));
    }

    /// <summary>
    /// STS's AssumeRole: whether <see cref="AssumeRoleRequest.Caller"/> may assume the role the request's context names,
    /// and if so a new session (<see cref="AssumeRole(string, string, DateTimeOffset, TimeSpan?, ImmutableArray{Policy})"/>) issued at the context's time. The
    /// role's trust policy is judged with the caller's policies as IAM does (<see cref="IamAccess.EvaluateRoleTrust"/>; a
    /// role built without one trusts whoever its caller's policies let assume it); a <c>SourceIdentity</c> needs
    /// <c>sts:SetSourceIdentity</c> too. Then the session's length: no more than the role's <c>MaxSessionDuration</c>,
    /// and no more than an hour for a caller that is itself a role session (role chaining), checked in that order.
    /// Session policies (<see cref="AssumeRoleRequest.Policy"/>, <see cref="AssumeRoleRequest.PolicyArns"/>) are checked
    /// once the role is known, before the caller is judged (<see cref="SessionPolicies.Compile"/>); the managed ones
    /// Cloister knows are those the templates' roles attach (<see cref="RoleSnapshot.ManagedPolicies"/>). The session
    /// issued keeps them.
    /// </summary>
    public AssumeRoleResult AssumeRole(AssumeRoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.Context;
        var roleArn = context.Resource;
        var roles = _roles;
        if (!roles.RolesByArn.TryGetValue(roleArn, out var role))
        {
            return new AssumeRoleResult(AssumeRoleRefusal.UnknownRole);
        }

        var sessionPolicies = request.Policy is null && request.PolicyArns.IsDefaultOrEmpty
            ? SessionPolicies.None
            : SessionPolicies.Compile(request.Policy, request.PolicyArns, roles.ManagedPolicies);
        if (sessionPolicies.Refusal != AssumeRoleRefusal.None)
        {
            return new AssumeRoleResult(sessionPolicies.Refusal, Message: sessionPolicies.Message);
        }

        var trust = roles.TrustPolicies.GetValueOrDefault(roleArn);
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

        var issuedAt = context.RequestTime ?? _time.GetUtcNow();
        var (credentials, session) = AssumeRole(roleArn, request.SessionName, issuedAt, TimeSpan.FromSeconds(request.DurationSeconds), sessionPolicies.Policies)!.Value;
        var packed = sessionPolicies.Policies.IsEmpty ? (int?)null : sessionPolicies.PackedPercent;
        return new AssumeRoleResult(AssumeRoleRefusal.None, credentials, session, PackedPolicySize: packed);

        static IamDecision Judge(CallerIdentity caller, RequestContext context, Policy? trust) => trust is null
            ? IamAccess.Evaluate(context, caller, resourcePolicy: null, endpointPolicy: null)
            : IamAccess.EvaluateRoleTrust(context, caller, trust);
    }

    /// <summary>
    /// Who signs with <paramref name="accessKeyId"/>: a role session this directory issued (expired or not: its
    /// <see cref="CallerIdentity.Expiration"/> says) with its role's policies of the moment (<see cref="Apply"/>), else
    /// the account's root (see the class summary).
    /// </summary>
    public CallerIdentity Find(string accessKeyId)
    {
        if (!_sessions.TryGetValue(accessKeyId, out var issued))
        {
            return accessKeyId == SandboxCredentials.Default.AccessKeyId ? _developer : _root;
        }

        var roles = _roles;
        if (ReferenceEquals(issued.Roles, roles))
        {
            return issued.Identity;
        }

        // The roles changed since this session was last found: its identity is rebuilt once, with the new policies.
        var current = issued with { Roles = roles, Identity = Identity(issued, roles) };
        _sessions.TryUpdate(accessKeyId, current, issued);
        return current.Identity;
    }

    /// <summary>
    /// Credentials of <paramref name="roleArn"/>'s session <paramref name="session"/>, told apart from its other sets by
    /// <paramref name="issue"/>, known to <see cref="Find"/> from now on (the same set twice is issued once).
    /// </summary>
    private SandboxCredentials Issue(
        string roleArn, string session, string issue, DateTimeOffset issuedAt, DateTimeOffset expiration, ImmutableArray<Policy> sessionPolicies = default)
    {
        var credentials = Derive(roleArn, session + "\n" + issue) with { Expiration = expiration, IssuedAt = issuedAt };
        _sessions.GetOrAdd(credentials.AccessKeyId, _ =>
        {
            var roles = _roles;
            var role = roles.RolesByArn.GetValueOrDefault(roleArn);
            var issued = new IssuedSession(
                roleArn,
                session,
                role?.RoleId ?? "AROA" + Encode(Hash("role-id\n" + roleArn), 17),
                role is not null,
                issuedAt,
                credentials,
                roles,
                null!,
                sessionPolicies.IsDefault ? [] : sessionPolicies);
            return issued with { Identity = Identity(issued, roles) };
        });
        return credentials;
    }

    /// <summary>
    /// The caller of a role session with <paramref name="roles"/>: <c>assumed-role/{role name}/{session}</c>,
    /// <c>{role id}:{session}</c>, the role's policies and tags; no policy at all when the role it was issued for is gone.
    /// </summary>
    private CallerIdentity Identity(IssuedSession issued, RoleSnapshot roles)
    {
        var role = roles.RolesByArn.GetValueOrDefault(issued.RoleArn);
        var gone = issued.Declared && (role is null || role.RoleId != issued.RoleId);
        var (policies, boundary) = gone ? ([], null) : roles.PoliciesOf(issued.RoleArn);
        var principal = RequestPrincipal.RoleSession(
            $"arn:{_account.Partition}:sts::{_account.AccountId}:assumed-role/{NameOf(issued.RoleArn)}/{issued.SessionName}",
            issued.RoleArn,
            issued.IssuedAt,
            gone ? ImmutableDictionary<string, string>.Empty : role?.Tags ?? ImmutableDictionary<string, string>.Empty);
        var credentials = issued.Credentials;
        return new CallerIdentity(principal, issued.RoleId + ":" + issued.SessionName, credentials.SecretAccessKey, policies, boundary, IsRoot: false, credentials.SessionToken)
        {
            Expiration = credentials.Expiration,
            SessionPolicies = issued.SessionPolicies,
        };
    }

    /// <summary>A function's execution role; a model built without one gets a role of its own, named after the function.</summary>
    private string RoleOf(LambdaFunction function) => RoleSnapshot.RoleOf(function, _account);

    /// <summary>The role of an instance's profile (the model holds its name); null without a profile.</summary>
    private string? RoleOf(Instance instance) => _roles.RoleOf(instance);

    private static string NameOf(string roleArn) => roleArn[(roleArn.LastIndexOf('/') + 1)..];

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
