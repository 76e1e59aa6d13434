namespace Cloister.Policy.Evaluation;

/// <summary>The condition keys a <see cref="RequestContext"/> holds in fixed slots, so looking them up is an array index.</summary>
internal enum KnownKey
{
    None = -1,
    SourceVpce = 0,
    SourceVpc,
    VpcSourceIp,
    SourceIp,
    UserAgent,
    Referer,
    SourceArn,
    CurrentTime,
    EpochTime,
    SecureTransport,
    PrincipalArn,
    PrincipalAccount,
    PrincipalType,
    Username,
    PrincipalIsAwsService,
    PrincipalServiceName,
    UserId,
    RequestedRegion,
    ViaAwsService,
    MultiFactorAuthPresent,
    TokenIssueTime,
}
