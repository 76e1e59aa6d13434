using System.Globalization;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// PutRetentionPolicy and DeleteRetentionPolicy. A group's retention starts as its template's <c>RetentionInDays</c>
/// (none for a created group); from the moment it is set, events older than it are no longer returned, and the retention
/// sweep (<see cref="LogStore.Sweep"/>) removes them from Cloister's own events files, as CloudWatch Logs deletes them
/// (it says within 72 hours).
/// </summary>
internal sealed partial class LogsHandler
{
    /// <summary>The retention periods CloudWatch Logs accepts, in days.</summary>
    private static readonly int[] RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private byte[] PutRetentionPolicy(LogsCall call)
    {
        if (call.Long("retentionInDays", int.MinValue, int.MaxValue) is not { } days)
        {
            throw NullMember("retentionInDays");
        }

        if (!RetentionDays.Contains((int)days))
        {
            throw LogsException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture,
                $"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", RetentionDays)}]"));
        }

        var group = Group(call, "PutRetentionPolicy");
        store.SetRetention(group.Name, (int)days, Now);
        return "{}"u8.ToArray();
    }

    private byte[] DeleteRetentionPolicy(LogsCall call)
    {
        var group = Group(call, "DeleteRetentionPolicy");
        store.SetRetention(group.Name, null, Now);
        return "{}"u8.ToArray();
    }
}
