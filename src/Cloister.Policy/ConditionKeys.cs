namespace Cloister.Policy;

/// <summary>The global condition keys services fill for every request (see docs/policy.md).</summary>
public static class ConditionKeys
{
    /// <summary>The id of the VPC endpoint the request came through.</summary>
    public const string SourceVpce = "aws:SourceVpce";

    /// <summary>The id of the VPC the request came from.</summary>
    public const string SourceVpc = "aws:SourceVpc";

    /// <summary>The client's address inside its VPC, for requests through a VPC endpoint.</summary>
    public const string VpcSourceIp = "aws:VpcSourceIp";

    /// <summary>The client's public address (rewritten when the request comes through a VPC endpoint).</summary>
    public const string SourceIp = "aws:SourceIp";

    /// <summary>The time of the request, ISO 8601.</summary>
    public const string CurrentTime = "aws:CurrentTime";

    /// <summary>The time of the request in seconds since the Unix epoch.</summary>
    public const string EpochTime = "aws:EpochTime";

    /// <summary>Whether the request came over TLS.</summary>
    public const string SecureTransport = "aws:SecureTransport";

    /// <summary>The client's User-Agent header.</summary>
    public const string UserAgent = "aws:UserAgent";

    /// <summary>The client's Referer header.</summary>
    public const string Referer = "aws:Referer";

    /// <summary>The ARN of the resource a service-to-service request was made for.</summary>
    public const string SourceArn = "aws:SourceArn";

    /// <summary>The ARN of the calling principal (absent for anonymous callers).</summary>
    public const string PrincipalArn = "aws:PrincipalArn";

    /// <summary>The account of the calling principal (absent for anonymous callers).</summary>
    public const string PrincipalAccount = "aws:PrincipalAccount";

    /// <summary>The type of the calling principal: Anonymous, Account, User, AssumedRole, FederatedUser, Service.</summary>
    public const string PrincipalType = "aws:PrincipalType";

    /// <summary>Whether an AWS service principal made the call: <c>true</c> for a service, <c>false</c> for an IAM principal, absent for anonymous callers.</summary>
    public const string PrincipalIsAwsService = "aws:PrincipalIsAWSService";

    /// <summary>The service principal's name (<c>apigateway.amazonaws.com</c>) when a service made the call.</summary>
    public const string PrincipalServiceName = "aws:PrincipalServiceName";

    /// <summary>An IAM user's friendly name (its ARN's last part); absent for role sessions, the root and anonymous callers.</summary>
    public const string Username = "aws:username";

    /// <summary>The caller's unique id: <c>{role id}:{session name}</c> for a role session, the account id for the root.</summary>
    public const string UserId = "aws:userid";

    /// <summary>The region the request was made to.</summary>
    public const string RequestedRegion = "aws:RequestedRegion";

    /// <summary>
    /// Whether a service made the request with the caller's credentials (a forward access session): always present, and
    /// <c>false</c> for every request Cloister evaluates, since its services never call another with a caller's credentials.
    /// </summary>
    public const string ViaAwsService = "aws:ViaAWSService";

    /// <summary>
    /// Whether MFA validated the temporary credentials that signed the request: present only for temporary credentials
    /// (role sessions, federated users), <c>false</c> for the sandbox's, which its STS issues without MFA; absent for
    /// long-term keys (an IAM user, the root) and anonymous callers.
    /// </summary>
    public const string MultiFactorAuthPresent = "aws:MultiFactorAuthPresent";

    /// <summary>
    /// When the temporary credentials that signed the request were issued: present only for temporary credentials (role
    /// sessions: when the sandbox's STS issued them, at <c>up</c>); absent for long-term keys and anonymous callers.
    /// </summary>
    public const string TokenIssueTime = "aws:TokenIssueTime";

    /// <summary>
    /// Seconds since the caller last authenticated with MFA: present only when MFA was used, so always absent in the
    /// sandbox, whose STS issues no credentials with MFA (<c>Null</c> <c>true</c> holds, <c>...IfExists</c> is true).
    /// </summary>
    public const string MultiFactorAuthAge = "aws:MultiFactorAuthAge";

    /// <summary>
    /// The prefix of <c>aws:PrincipalTag/KEY</c>: the value of the caller's tag KEY (a role session's are its role's
    /// tags); absent when the caller has no such tag. The tag key is matched ignoring case, as condition key names are.
    /// </summary>
    public const string PrincipalTagPrefix = "aws:PrincipalTag/";
}
