using System.Net;
using Microsoft.Extensions.Logging;

namespace Cloister.Network.LoadBalancing;

/// <summary>The load balancers' log messages.</summary>
internal static partial class LoadBalancerLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Target group {TargetGroup}: target {Target} is now {State} from node {Node}")]
    public static partial void TargetHealthChanged(ILogger logger, string targetGroup, IPEndPoint target, TargetHealthState state, IPAddress node);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Load balancers: {Problem}")]
    public static partial void Problem(ILogger logger, string problem);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Load balancer {Name} listening on {Protocol} {Node}:{Port}")]
    public static partial void Listening(ILogger logger, string name, string protocol, IPAddress node, int port);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Debug, Message = "Load balancer {Name}: connection from {Client} ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string name, IPEndPoint client, string reason);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Debug, Message = "Load balancer {Name}: target {Target} failed")]
    public static partial void TargetFailed(ILogger logger, string name, IPEndPoint target, Exception exception);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Information, Message = "Target group {TargetGroup}: target {Target} deregistered, draining for {Seconds} s")]
    public static partial void TargetDraining(ILogger logger, string targetGroup, IPEndPoint target, double seconds);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Information, Message = "Target group {TargetGroup}: target {Target} is gone; {Closed} connections closed, {Left} left open")]
    public static partial void TargetDeregistered(ILogger logger, string targetGroup, IPEndPoint target, int closed, int left);
}
