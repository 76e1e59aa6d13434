namespace Cloister.Functions.Ssm;

/// <summary>
/// What an instance's SSM Agent last said of it (UpdateInstanceInformation) and when: a managed node. Its
/// <c>PingStatus</c> is worked out from <see cref="LastPingMilliseconds"/> when it is described.
/// </summary>
internal sealed record ManagedNode(
    string InstanceId,
    long LastPingMilliseconds,
    string AgentVersion,
    string PlatformType,
    string PlatformName,
    string PlatformVersion,
    string? IpAddress,
    string? ComputerName,
    string? AgentName);
