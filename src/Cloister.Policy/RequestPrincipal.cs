namespace Cloister.Policy;

/// <summary>
/// The caller of a request. Built once per identity (the gateway caches it per credential), never
/// per evaluation. For an assumed-role session the role's own ARN is worked out too, because a
/// Principal naming the role matches its sessions.
/// </summary>
public sealed record RequestPrincipal
{
    private RequestPrincipal(PrincipalKind kind, string? identifier, string? account, string? roleArn, string type)
    {
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

    /// <summary>For an <c>sts::...:assumed-role/ROLE/SESSION</c> caller, <c>arn:...:iam::ACCOUNT:role/ROLE</c>.</summary>
    public string? RoleArn { get; }

    /// <summary>The value of <c>aws:PrincipalType</c>: Anonymous, Account, User, AssumedRole, FederatedUser, Service, Federated.</summary>
    public string PrincipalType { get; }

    /// <summary>An IAM caller from its ARN (<c>arn:aws:iam::111122223333:user/alice</c>, <c>arn:aws:sts::111122223333:assumed-role/R/s</c>) or a bare account id.</summary>
    public static RequestPrincipal Aws(string arnOrAccount)
    {
        ArgumentException.ThrowIfNullOrEmpty(arnOrAccount);
        if (IsAccountId(arnOrAccount))
        {
            return new(PrincipalKind.Aws, $"arn:aws:iam::{arnOrAccount}:root", arnOrAccount, null, "Account");
        }

        if (!Model.Arns.Arn.TryParse(arnOrAccount, out var arn))
        {
            throw new ArgumentException($"'{arnOrAccount}' is neither an ARN nor an account id.", nameof(arnOrAccount));
        }

        string? roleArn = null;
        var type = "User";
        if (arn.Resource == "root")
        {
            type = "Account";
        }
        else if (arn.Service == "sts" && arn.Resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            type = "AssumedRole";
            var rest = arn.Resource["assumed-role/".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            roleArn = $"arn:{arn.Partition}:iam::{arn.Account}:role/{(slash < 0 ? rest : rest[..slash])}";
        }
        else if (arn.Service == "sts" && arn.Resource.StartsWith("federated-user/", StringComparison.Ordinal))
        {
            type = "FederatedUser";
        }
        else if (arn.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            type = "AssumedRole";
        }

        return new(PrincipalKind.Aws, arnOrAccount, arn.Account, roleArn, type);
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

    internal static bool IsAccountId(ReadOnlySpan<char> text)
    {
        if (text.Length != 12)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
