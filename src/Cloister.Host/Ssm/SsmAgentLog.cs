using Microsoft.Extensions.Logging;

namespace Cloister.Host.Ssm;

/// <summary>The agents' lines in <c>logs/host.log</c>, worded as amazon-ssm-agent's own log words them.</summary>
internal static partial class SsmAgentLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "ssm-agent {InstanceId}: INFO [Registrar] the instance is registered with Systems Manager on {Endpoint}; it is a managed node (Online)")]
    public static partial void Registered(ILogger logger, string instanceId, string endpoint);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "ssm-agent {InstanceId}: ERROR [HealthCheck] error when calling AWS APIs. error details - {Problem}")]
    public static partial void CannotReach(ILogger logger, string instanceId, string problem);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "ssm-agent {InstanceId}: ERROR [MessageGatewayService] Failed to create control channel (Session Manager cannot reach the instance), error: {Problem}")]
    public static partial void NoControlChannel(ILogger logger, string instanceId, string problem);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "ssm-agent {InstanceId}: ERROR [MessagingDeliveryService] error when calling AWS APIs. error details - {Problem}")]
    public static partial void NoMessages(ILogger logger, string instanceId, string problem);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "ssm-agent {InstanceId}: INFO [MessagingDeliveryService] running command {CommandId}")]
    public static partial void Running(ILogger logger, string instanceId, string commandId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "ssm-agent {InstanceId}: INFO [MessagingDeliveryService] command {CommandId} ended {Status} with exit code {ResponseCode}")]
    public static partial void Ran(ILogger logger, string instanceId, string commandId, string status, int responseCode);
}
