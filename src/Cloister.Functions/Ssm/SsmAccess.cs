using Cloister.Policy;

namespace Cloister.Functions.Ssm;

/// <summary>
/// How Parameter Store authorizes its callers: who an access key id is, where a connection came from (its VPC and
/// endpoint, for <c>aws:SourceVpc</c>, <c>aws:SourceVpce</c> and <c>aws:VpcSourceIp</c>) and the policies of the
/// <c>ssm</c> interface endpoints, which a call through one must also be allowed by. Parameters have no resource policy.
/// </summary>
public sealed record SsmAccess : ServiceAccess;
