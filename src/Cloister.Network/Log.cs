using Microsoft.Extensions.Logging;

namespace Cloister.Network;

/// <summary>The fabric's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Sandbox {Prefix} up: {Namespaces} namespaces, {Hosts} hosts in {Milliseconds} ms")]
    public static partial void SandboxStarted(ILogger logger, string prefix, int namespaces, int hosts, long milliseconds);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Removed {Count} namespaces with prefix {Prefix} {Detail}")]
    public static partial void LeftoversRemoved(ILogger logger, string prefix, int count, string detail);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Security groups and network ACLs applied to {Count} namespaces, {Routes} route changes")]
    public static partial void RulesApplied(ILogger logger, int count, int routes);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "dnsmasq in {Namespace}: {Line}")]
    public static partial void DnsServerOutput(ILogger logger, string @namespace, string line);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Started {Program} in {Namespace} as pid {Pid}")]
    public static partial void ProcessPlaced(ILogger logger, string program, string @namespace, int pid);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Daemon pid {Pid} or a process holding its output did not end within {Seconds} s of being killed")]
    public static partial void DaemonOutlived(ILogger logger, int pid, double seconds);
}
