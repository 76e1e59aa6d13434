using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Shared.Validation;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// CreateLogGroup, CreateLogStream and PutLogEvents, for code that writes its own logs (the CloudWatch agent, an SDK's
/// log handler). PutLogEvents checks what CloudWatch Logs checks (a stream that exists, events in time order, a batch
/// within 10,000 events, 1,048,576 bytes, and its events neither too old nor too new within 24 hours) and answers only once the events are on the disk; events more
/// than 14 days old, older than the group's retention, or more than 2 hours ahead are rejected as CloudWatch Logs rejects
/// them (<c>rejectedLogEventsInfo</c>), the rest kept. Sequence tokens are neither required nor checked, as CloudWatch Logs has ignored them since 2023.
/// </summary>
internal sealed partial class LogsHandler
{
    private const int MaxBatchBytes = 1_048_576;
    private const int EventOverheadBytes = 26;
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);
    private static readonly TimeSpan MaxAhead = TimeSpan.FromHours(2);

    private byte[] CreateLogGroup(LogsCall call)
    {
        var name = call.String("logGroupName") ?? string.Empty;
        if (name.Length is 0 or > 512 || !GroupNamePattern().IsMatch(name))
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }

        var groupClass = GroupClass(call);
        var kmsKeyId = call.String("kmsKeyId");
        if (kmsKeyId?.Length > 256)
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value '{kmsKeyId}' at 'kmsKeyId' failed to satisfy constraint: Member must have length less than or equal to 256");
        }

        var tags = TagsOf(call, "tags");
        Authorize(call, "CreateLogGroup", StreamArn(name, string.Empty), tags is null ? null : new TagFacts { OfRequest = tags, Keys = [.. tags.Keys] });
        if (!store.CreateGroup(name, Now, tags, groupClass, kmsKeyId))
        {
            throw new LogsException("ResourceAlreadyExistsException", "The specified log group already exists");
        }

        return "{}"u8.ToArray();
    }

    private byte[] CreateLogStream(LogsCall call)
    {
        var stream = StreamName(call);
        var group = Group(call, "CreateLogStream", stream);
        var written = Events(group).Select(e => e.StreamName).Distinct(StringComparer.Ordinal);
        if (!store.CreateStream(group.Name, stream, Now, written))
        {
            throw new LogsException("ResourceAlreadyExistsException", "The specified log stream already exists");
        }

        return "{}"u8.ToArray();
    }

    private byte[] PutLogEvents(LogsCall call)
    {
        LogsConstraints.PutLogEvents(call);
        var stream = StreamName(call);
        var events = LogEvents(call);
        var group = Group(call, "PutLogEvents", stream);
        if (!HasStream(group, stream))
        {
            throw LogsException.NoSuchStream();
        }

        var now = Now;
        var oldest = now - (long)MaxAge.TotalMilliseconds;
        var newest = now + (long)MaxAhead.TotalMilliseconds;
        var retained = LogStore.Cutoff(group.RetentionInDays, now) ?? long.MinValue;
        // Events are in time order: the too old and the expired (older than the group's retention) ones lead, the too new ones trail.
        var tooOldEnd = FirstIndex(events, e => e.Timestamp >= oldest);
        var expiredEnd = Math.Max(tooOldEnd, FirstIndex(events, e => e.Timestamp >= retained));
        var tooNewStart = FirstIndex(events, e => e.Timestamp > newest);
        // "For valid events (within 14 days in the past to 2 hours in future), the time span in a single batch cannot
        // exceed 24 hours": the events rejected as too old or too new do not count.
        if (tooNewStart > tooOldEnd && events[tooNewStart - 1].Timestamp - events[tooOldEnd].Timestamp > (long)TimeSpan.FromDays(1).TotalMilliseconds)
        {
            throw LogsException.InvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }

        var kept = events.Skip(expiredEnd).Take(Math.Max(0, tooNewStart - expiredEnd)).ToList();
        if (kept.Count > 0)
        {
            store.Append(group.Name, stream, kept);
        }

        return Json(writer =>
        {
            if (expiredEnd > 0 || tooNewStart < events.Count)
            {
                writer.WriteStartObject("rejectedLogEventsInfo");
                if (tooOldEnd > 0)
                {
                    writer.WriteNumber("tooOldLogEventEndIndex", tooOldEnd);
                }

                if (expiredEnd > tooOldEnd)
                {
                    writer.WriteNumber("expiredLogEventEndIndex", expiredEnd);
                }

                if (tooNewStart < events.Count)
                {
                    writer.WriteNumber("tooNewLogEventStartIndex", tooNewStart);
                }

                writer.WriteEndObject();
            }
        });
    }

    // The index of the first event that 'from' holds for; the count when none.
    private static int FirstIndex(List<(long Timestamp, string Message)> events, Predicate<(long Timestamp, string Message)> from) =>
        events.FindIndex(from) is var index and >= 0 ? index : events.Count;

    private static void CheckEventMembers(JsonElement item, int number)
    {
        var member = FormattableString.Invariant($"logEvents.{number}.member");
        if (!item.TryGetProperty("timestamp", out _))
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value null at '{member}.timestamp' failed to satisfy constraint: Member must not be null");
        }

        if (!item.TryGetProperty("message", out var message))
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value null at '{member}.message' failed to satisfy constraint: Member must not be null");
        }

        if (message.ValueKind == JsonValueKind.String && message.GetString() is "")
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value '' at '{member}.message' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
    }

    private static string StreamName(LogsCall call)
    {
        var stream = call.String("logStreamName") ?? string.Empty;
        var violations = new ConstraintViolations();
        LogsConstraints.StreamName(violations, stream, "logStreamName");
        LogsConstraints.ThrowIfAny(violations);
        return stream;
    }

    private static List<(long Timestamp, string Message)> LogEvents(LogsCall call)
    {
        // An array of 1 to 10,000 events (LogsConstraints.PutLogEvents).
        var given = call.Input.GetProperty("logEvents");

        var events = new List<(long Timestamp, string Message)>(given.GetArrayLength());
        var bytes = 0L;
        foreach (var item in given.EnumerateArray())
        {
            // A member left out, or an empty message, is refused in AWS's validation words, naming the event (from 1).
            if (item.ValueKind == JsonValueKind.Object)
            {
                CheckEventMembers(item, events.Count + 1);
            }

            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var at)
                || !item.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || message.GetString() is not { Length: > 0 } text)
            {
                throw LogsException.InvalidParameter("Each log event needs a timestamp and a message of at least one character.");
            }

            if (events.Count > 0 && at < events[^1].Timestamp)
            {
                throw LogsException.InvalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }

            bytes += Encoding.UTF8.GetByteCount(text) + EventOverheadBytes;
            events.Add((at, text));
        }

        if (bytes > MaxBatchBytes)
        {
            throw LogsException.InvalidParameter($"Upload too large: {bytes} bytes exceeds limit of {MaxBatchBytes}");
        }

        return events;
    }

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupNamePattern();
}
