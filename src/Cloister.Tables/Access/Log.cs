using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Access;

/// <summary>Log messages of access control. Refusals are logged at Debug so clients cannot flood the log.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "The stored resource-based policy of table {Table} does not parse ({Problems}); it denies everything until replaced")]
    public static partial void StoredPolicyInvalid(ILogger logger, string table, string problems);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "{Action} on {Resource} by {Caller} denied: {Decision} in {Source}")]
    public static partial void Denied(ILogger logger, string action, string resource, string caller, Cloister.Policy.Decision decision, Cloister.Policy.PolicySource source);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "PutResourcePolicy on {Resource} by {Caller} refused: the new policy would leave it {Decision} in {Source}")]
    public static partial void SelfLockout(ILogger logger, string resource, string caller, Cloister.Policy.Decision decision, Cloister.Policy.PolicySource source);
}
