using Cloister.Model;

namespace Cloister.Gateway.Signing;

/// <summary>
/// A credential the gateway accepts SigV4 signatures from for AWS_IAM methods, with the identity it stands for
/// (what <c>requestContext.identity</c> shows and resource policies match as the principal).
/// </summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret key.</param>
/// <param name="SessionToken">The session token a signed request must carry in <c>X-Amz-Security-Token</c>; null for long-term keys.</param>
/// <param name="PrincipalArn">The caller's ARN (<c>identity.userArn</c>), such as <c>arn:aws:sts::111122223333:assumed-role/R/s</c>.</param>
/// <param name="UserId">The caller's unique id (<c>identity.caller</c> and <c>identity.user</c>), such as <c>AROA...:session</c>.</param>
/// <param name="Identity">The caller's identity-based policies, when the sandbox knows them; null when only the resource policy decides.</param>
public sealed record GatewayCredential(string AccessKeyId, string SecretAccessKey, string? SessionToken, string PrincipalArn, string UserId, Cloister.Policy.CallerIdentity? Identity = null)
{
    /// <summary>The role name sandbox credentials are presented as.</summary>
    public const string SandboxRole = "cloister-sandbox";

    /// <summary>The credentials every sandbox function receives (<see cref="SandboxCredentials"/>), as an assumed role of <paramref name="account"/>.</summary>
    public static GatewayCredential FromSandbox(SandboxCredentials credentials, AccountContext account)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(account);
        return new GatewayCredential(
            credentials.AccessKeyId,
            credentials.SecretAccessKey,
            credentials.SessionToken,
            $"arn:{account.Partition}:sts::{account.AccountId}:assumed-role/{SandboxRole}/cloister",
            "AROACLOISTERSANDBOX00:cloister");
    }

    /// <summary>The credential of <paramref name="identity"/> signing with <paramref name="accessKeyId"/>; null when its signature cannot be checked (no known secret).</summary>
    public static GatewayCredential? Of(string accessKeyId, Cloister.Policy.CallerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.SecretAccessKey is { } secret
            ? new GatewayCredential(accessKeyId, secret, identity.SessionToken, identity.Arn, identity.UserId, identity)
            : null;
    }

    /// <summary>Never prints the secret or the token.</summary>
    public override string ToString() => $"GatewayCredential {{ AccessKeyId = {AccessKeyId}, PrincipalArn = {PrincipalArn} }}";
}
