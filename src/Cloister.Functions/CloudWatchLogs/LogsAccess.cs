using Cloister.Policy;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// How CloudWatch Logs authorizes its callers: who an access key id is, where a connection came from (its VPC and
/// endpoint, for <c>aws:SourceVpc</c>, <c>aws:SourceVpce</c> and <c>aws:VpcSourceIp</c>) and the policies of the
/// <c>logs</c> interface endpoints, which a call through one must also be allowed by. Log groups have no resource policy
/// in the sandbox.
/// </summary>
public sealed record LogsAccess : ServiceAccess;
