using System.Collections.Frozen;
using Cloister.Model;

namespace Cloister.Policy;

/// <summary>
/// The caller of a request. Built once per identity (the gateway caches it per credential), never
/// per evaluation. For an assumed-role session the role's own ARN is worked out too, because a
/// Principal naming the role matches its sessions.
/// </summary>
public sealed record RequestPrincipal
{
    private const string AccountType = "Account";

    private readonly FrozenDictionary<string, string> _tags = FrozenDictionary<string, string>.Empty;

    private RequestPrincipal(PrincipalKind kind, string? identifier, string? account, string? roleArn, string type, string? userName = null)
    {
        UserName = userName;
        Kind = kind;
        Identifier = identifier;
        Account = account;
        RoleArn = roleArn;
        PrincipalType = type;
    }

    /// <summary>The unauthenticated caller: what every call to an API without IAM authorization is.</summary>
    public static RequestPrincipal Anonymous { get; } = new(PrincipalKind.Anonymous, null, null, null, "Anonymous");

    /// <summary>What kind of caller this is.</summary>
    public PrincipalKind Kind { get; }

    /// <summary>The ARN (AWS), service name (Service), provider (Federated) or canonical id; null when anonymous.</summary>
    public string? Identifier { get; }

    /// <summary>The caller's account, for AWS principals.</summary>
    public string? Account { get; }

    /// <summary>
    /// For an <c>sts::...:assumed-role/ROLE/SESSION</c> caller, its role's ARN: the one given to
    /// <see cref="Aws(string, string?)"/>, with the role's path (<c>arn:...:iam::ACCOUNT:role/service-role/ROLE</c>), or else
    /// <c>arn:...:iam::ACCOUNT:role/ROLE</c>, all the session ARN tells.
    /// </summary>
    public string? RoleArn { get; }

    /// <summary>The value of <c>aws:PrincipalType</c>: Anonymous, Account, User, AssumedRole, FederatedUser, Service, Federated.</summary>
    public string PrincipalType { get; }

    /// <summary>The value of <c>aws:username</c>: an IAM user's friendly name, null for every other caller.</summary>
    public string? UserName { get; }

    /// <summary>
    /// The value of <c>aws:userid</c> when the caller's credentials say it (<see cref="CallerIdentity"/> sets it:
    /// <c>{role id}:{session}</c> for a role session); the account's root has its account id without it.
    /// </summary>
    public string? UserId { get; internal init; }

    /// <summary>
    /// The value of <c>aws:TokenIssueTime</c>: when the caller's temporary credentials were issued (the sandbox's STS sets it
    /// for the role sessions it issues); null for long-term keys, the root and anonymous callers.
    /// </summary>
    public DateTimeOffset? TokenIssueTime { get; internal init; }

    /// <summary>
    /// The caller's tags, the <c>aws:PrincipalTag/KEY</c> keys: a role session's are its role's tags (the sandbox's STS passes
    /// no session tags). Keys are looked up ignoring case, as condition key names are; empty for other callers.
    /// </summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        internal init => _tags = value.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A session of the role <paramref name="roleArn"/> (<see cref="Aws(string, string?)"/>) whose credentials were issued
    /// at <paramref name="issuedAt"/> (<c>aws:TokenIssueTime</c>, kept to the second as STS reports it), carrying the role's <paramref name="tags"/>
    /// (<c>aws:PrincipalTag/KEY</c>): how the sandbox's STS and API Gateway's assumption of a <c>Credentials</c> role make one.
    /// </summary>
    public static RequestPrincipal RoleSession(string sessionArn, string roleArn, DateTimeOffset issuedAt, IReadOnlyDictionary<string, string> tags) =>
        Aws(sessionArn, roleArn) with
        {
            TokenIssueTime = new DateTimeOffset(issuedAt.UtcTicks - (issuedAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            Tags = tags,
        };

    /// <summary>Whether the caller signs with temporary credentials: a role session (<c>sts::...:assumed-role/...</c>) or a federated user.</summary>
    internal bool HasTemporaryCredentials => PrincipalType == "FederatedUser" || (PrincipalType == "AssumedRole" && RoleArn is not null);

    /// <summary>The value of the condition key <paramref name="key"/> when it is <c>aws:PrincipalTag/KEY</c> and the caller has the tag KEY.</summary>
    internal bool TryGetTag(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = null;
        return _tags.Count > 0
            && key.Length > ConditionKeys.PrincipalTagPrefix.Length
            && key.StartsWith(ConditionKeys.PrincipalTagPrefix, StringComparison.OrdinalIgnoreCase)
            && _tags.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key.AsSpan(ConditionKeys.PrincipalTagPrefix.Length), out value);
    }

    /// <summary>Whether the caller is an account's root user (<c>aws:PrincipalType</c> is Account).</summary>
    internal bool IsAccountRoot => PrincipalType == AccountType;

    /// <summary>An IAM caller from its ARN (<c>arn:aws:iam::111122223333:user/alice</c>, <c>arn:aws:sts::111122223333:assumed-role/R/s</c>) or a bare account id.</summary>
    /// <remarks>A session ARN does not carry its role's path: a role with one needs <see cref="Aws(string, string?)"/>.</remarks>
    public static RequestPrincipal Aws(string arnOrAccount) => Aws(arnOrAccount, roleArn: null);

    /// <summary>
    /// An IAM caller from its ARN or account id, as <see cref="Aws(string)"/>; for a role session, <paramref name="roleArn"/> is
    /// its role's ARN with the role's path (<c>arn:aws:iam::111122223333:role/service-role/R</c>), which a Principal naming
    /// the role and <c>aws:PrincipalArn</c> need and the session ARN (<c>...:assumed-role/R/s</c>) leaves out.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="roleArn"/> is given for a caller that is not a role session, or is not the ARN of the session's role.</exception>
    public static RequestPrincipal Aws(string arnOrAccount, string? roleArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(arnOrAccount);
        if (AccountContext.IsAccountId(arnOrAccount))
        {
            return roleArn is null
                ? new(PrincipalKind.Aws, $"arn:aws:iam::{arnOrAccount}:root", arnOrAccount, null, AccountType)
                : throw NotASession(arnOrAccount, roleArn);
        }

        if (!Model.Arns.Arn.TryParse(arnOrAccount, out var arn))
        {
            throw new ArgumentException($"'{arnOrAccount}' is neither an ARN nor an account id.", nameof(arnOrAccount));
        }

        var type = "User";
        if (arn.Resource == "root")
        {
            type = AccountType;
        }
        else if (arn.Service == "sts" && arn.Resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            type = "AssumedRole";
            var rest = arn.Resource["assumed-role/".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var roleName = slash < 0 ? rest : rest[..slash];
            if (roleArn is null)
            {
                roleArn = $"arn:{arn.Partition}:iam::{arn.Account}:role/{roleName}";
            }
            else if (!IsRoleOf(roleArn, arn, roleName))
            {
                throw new ArgumentException($"'{roleArn}' is not the ARN of the role of '{arnOrAccount}'.", nameof(roleArn));
            }

            return new(PrincipalKind.Aws, arnOrAccount, arn.Account, roleArn, type);
        }
        else if (arn.Service == "sts" && arn.Resource.StartsWith("federated-user/", StringComparison.Ordinal))
        {
            // aws:userid of a GetFederationToken session is ACCOUNT:caller-specified-name.
            return roleArn is null
                ? new(PrincipalKind.Aws, arnOrAccount, arn.Account, null, "FederatedUser") { UserId = $"{arn.Account}:{arn.Resource["federated-user/".Length..]}" }
                : throw NotASession(arnOrAccount, roleArn);
        }
        else if (arn.Service == "iam" && arn.Resource.StartsWith("user/", StringComparison.Ordinal))
        {
            // aws:username is the user's friendly name: the ARN's last part, its path left out.
            return roleArn is null
                ? new(PrincipalKind.Aws, arnOrAccount, arn.Account, null, type, arn.Resource[(arn.Resource.LastIndexOf('/') + 1)..])
                : throw NotASession(arnOrAccount, roleArn);
        }
        else if (arn.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            type = "AssumedRole";
        }

        return roleArn is null ? new(PrincipalKind.Aws, arnOrAccount, arn.Account, null, type) : throw NotASession(arnOrAccount, roleArn);
    }

    /// <summary>An AWS service principal such as <c>lambda.amazonaws.com</c>.</summary>
    public static RequestPrincipal Service(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(PrincipalKind.Service, name, null, null, "Service");
    }

    /// <summary>A federated caller: a web identity or SAML provider.</summary>
    public static RequestPrincipal Federated(string provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return new(PrincipalKind.Federated, provider, null, null, "Federated");
    }

    /// <summary>An S3 canonical user.</summary>
    public static RequestPrincipal CanonicalUser(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new(PrincipalKind.CanonicalUser, id, null, null, "CanonicalUser");
    }

    private static ArgumentException NotASession(string arnOrAccount, string roleArn) =>
        new($"'{arnOrAccount}' is not a role session, so it has no role ARN ('{roleArn}' given).", nameof(roleArn));

    /// <summary>Whether <paramref name="roleArn"/> is an IAM role of the session's partition and account named <paramref name="roleName"/>, under any path.</summary>
    private static bool IsRoleOf(string roleArn, Model.Arns.Arn session, string roleName) =>
        Model.Arns.Arn.TryParse(roleArn, out var role)
        && role.Service == "iam"
        && role.Partition == session.Partition
        && role.Account == session.Account
        && role.Resource.StartsWith("role/", StringComparison.Ordinal)
        && role.Resource.EndsWith("/" + roleName, StringComparison.Ordinal);
}
