using Cloister.Policy;

namespace Cloister.Gateway.Signing;

/// <summary>Who signed a request, as <c>requestContext.identity</c> and <c>$context.identity.*</c> show it.</summary>
/// <param name="AccessKey">The access key id.</param>
/// <param name="AccountId">The caller's account.</param>
/// <param name="Caller">The caller's unique id.</param>
/// <param name="UserArn">The caller's ARN.</param>
/// <param name="Principal">The principal policies are evaluated for.</param>
/// <param name="Identity">The caller's identity-based policies, when known.</param>
internal sealed record SignedCaller(string AccessKey, string AccountId, string Caller, string UserArn, RequestPrincipal Principal, CallerIdentity? Identity)
{
    public static SignedCaller Of(GatewayCredential credential)
    {
        // A caller the directory knows carries its principal parsed once already (its Arn is that principal's).
        var principal = credential.Identity is { } identity && identity.Arn == credential.PrincipalArn ? identity.Principal : RequestPrincipal.Aws(credential.PrincipalArn);
        return new SignedCaller(credential.AccessKeyId, principal.Account ?? string.Empty, credential.UserId, credential.PrincipalArn, principal, credential.Identity);
    }
}
