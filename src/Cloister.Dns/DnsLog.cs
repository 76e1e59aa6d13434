using System.Net;
using Cloister.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns;

/// <summary>Cloister.Dns's log messages, source-generated. Malformed client input is logged at Debug so clients cannot flood the logs.</summary>
internal static partial class DnsLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Malformed DNS message for {Scope}: {Error} at offset {Offset}")]
    public static partial void MalformedQuery(ILogger logger, Resolution.ListenerScope scope, DnsParseError error, int offset);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Cannot write the query log {Path}")]
    public static partial void QueryLogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Forwarding {Name} to {Target} from {Source} failed: {Reason}")]
    public static partial void ForwardAttemptFailed(ILogger logger, string name, IPEndPoint target, IPAddress source, string reason);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Forwarding {Name} to {Target} from {Source}: upstream answered {Code}")]
    public static partial void ForwardAttemptRejected(ILogger logger, string name, IPEndPoint target, IPAddress source, DnsResponseCode code);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "Forwarding {Name} to {Target} from {Source}: socket error {Code}")]
    public static partial void ForwardAttemptSocketError(ILogger logger, string name, IPEndPoint target, IPAddress source, System.Net.Sockets.SocketError code);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "No target of rule {RuleId} answered {Name}; SERVFAIL")]
    public static partial void ForwardFailed(ILogger logger, string ruleId, string name);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Debug, Message = "Not forwarding {Name} under rule {RuleId}: too many {Bound}; SERVFAIL")]
    public static partial void ForwardsBusy(ILogger logger, string ruleId, string name, string bound);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Unexpected error answering a DNS query from {Source}")]
    public static partial void HandlerFailed(ILogger logger, EndPoint? source, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "DNS views built for {Count} VPCs")]
    public static partial void ViewsBuilt(ILogger logger, int count);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Skipped {Resource}: {Reason}")]
    public static partial void Skipped(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "DNS listening for {Scope} on {EndPoint} ({Transport})")]
    public static partial void Listening(ILogger logger, Resolution.ListenerScope scope, IPEndPoint endPoint, string transport);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Debug, Message = "DNS socket error on {EndPoint}")]
    public static partial void SocketError(ILogger logger, EndPoint? endPoint, Exception exception);
}
