using System.Text;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// GetLogEvents (one stream, forward and backward tokens <c>f/N</c>, <c>b/N</c>: positions among the stream's events in
/// the asked time range; a page holds at most 10,000 events and 1 MB) and FilterLogEvents (the group's streams interleaved by time, a filter pattern, a
/// <c>nextToken</c> while more events match). A token that has reached the end is given back unchanged, which is how
/// the AWS CLI knows to stop paging.
/// </summary>
internal sealed partial class LogsHandler
{
    private const int MaxEvents = LogsConstraints.MaxEvents;

    private byte[] GetLogEvents(LogsCall call)
    {
        LogsConstraints.GetLogEvents(call);
        var streamName = call.String("logStreamName")!;
        var start = call.Long("startTime");
        var end = call.Long("endTime");
        var limit = (int)(call.Long("limit", 1, MaxEvents) ?? MaxEvents);
        var fromHead = call.Bool("startFromHead") ?? false;
        var token = call.String("nextToken");
        var group = Group(call, "GetLogEvents", streamName);
        var all = Events(group);
        if (!HasStream(group, streamName, all))
        {
            throw LogsException.NoSuchStream();
        }

        // endTime is exclusive here ("equal to or later than this time are not included").
        var events = all.Where(e => e.StreamName == streamName && (start is null || e.Timestamp >= start) && (end is null || e.Timestamp < end)).ToList();
        // As CloudWatch Logs, a response holds at most `limit` events and 1 MB of them (26 bytes each besides the
        // message, as PutLogEvents counts): the tokens then point where the next page starts.
        var (from, to) = token switch
        {
            null => fromHead ? Window(events, 0, forward: true, limit) : Window(events, events.Count, forward: false, limit),
            _ when Position(token, "f/") is { } forward => Window(events, Math.Min(forward, events.Count), forward: true, limit),
            _ when Position(token, "b/") is { } backward => Window(events, Math.Min(backward, events.Count), forward: false, limit),
            _ => throw LogsException.InvalidToken(),
        };

        return Json(writer =>
        {
            writer.WriteStartArray("events");
            foreach (var logEvent in events.Skip(from).Take(to - from))
            {
                writer.WriteStartObject();
                writer.WriteNumber("timestamp", logEvent.Timestamp);
                writer.WriteString("message", logEvent.Message);
                writer.WriteNumber("ingestionTime", logEvent.Timestamp);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("nextForwardToken", Token("f/", to));
            writer.WriteString("nextBackwardToken", Token("b/", from));
        });
    }

    /// <summary>
    /// The events a GetLogEvents page holds from <paramref name="anchor"/> onwards (or back from it): at most
    /// <paramref name="limit"/> and 1 MB of them, at least one while any is left.
    /// </summary>
    private static (int From, int To) Window(List<LogEvent> events, int anchor, bool forward, int limit)
    {
        var (from, to) = (anchor, anchor);
        long bytes = 0;
        while (to - from < limit && (forward ? to < events.Count : from > 0))
        {
            var next = events[forward ? to : from - 1];
            bytes += Encoding.UTF8.GetByteCount(next.Message) + EventOverheadBytes;
            if (bytes > MaxBatchBytes && to > from)
            {
                break;
            }

            (from, to) = forward ? (from, to + 1) : (from - 1, to);
        }

        return (from, to);
    }

    private byte[] FilterLogEvents(LogsCall call)
    {
        LogsConstraints.FilterLogEvents(call);
        var streamNames = call.Strings("logStreamNames");
        var prefix = call.String("logStreamNamePrefix");
        var start = call.Long("startTime");
        var end = call.Long("endTime");
        var limit = (int)(call.Long("limit", 1, MaxEvents) ?? MaxEvents);
        var token = call.String("nextToken");
        if (streamNames is not null && prefix is not null)
        {
            throw LogsException.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }

        var pattern = FilterPattern.TryParse(call.String("filterPattern"))
            ?? throw LogsException.InvalidParameter("Invalid character(s) in term '" + call.String("filterPattern") + "'");
        var group = Group(call, "FilterLogEvents");
        var wanted = streamNames?.ToHashSet(StringComparer.Ordinal);
        // endTime is inclusive here ("a timestamp later than this time are not returned").
        var matching = Events(group)
            .Where(e => wanted is null || wanted.Contains(e.StreamName))
            .Where(e => prefix is null || e.StreamName.StartsWith(prefix, StringComparison.Ordinal))
            .Where(e => (start is null || e.Timestamp >= start) && (end is null || e.Timestamp <= end))
            .Where(e => pattern.Matches(e.Message))
            .ToList();
        // As CloudWatch Logs, a page holds at most 1 MB of events: tail and follow ask for the next with nextToken.
        var (page, next) = Page(matching, token, limit, e => Encoding.UTF8.GetByteCount(e.Message) + EventOverheadBytes, MaxBatchBytes);
        return Json(writer =>
        {
            writer.WriteStartArray("events");
            foreach (var logEvent in page)
            {
                writer.WriteStartObject();
                writer.WriteString("logStreamName", logEvent.StreamName);
                writer.WriteNumber("timestamp", logEvent.Timestamp);
                writer.WriteString("message", logEvent.Message);
                writer.WriteNumber("ingestionTime", logEvent.Timestamp);
                writer.WriteString("eventId", logEvent.EventId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("searchedLogStreams");
            writer.WriteEndArray();
            WriteToken(writer, "nextToken", next);
        });
    }
}
