using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// DescribeLogGroups and DescribeLogStreams. Groups are listed by name; a stream exists once an event of it is written
/// (its creation time is its first event's), as a function's stream appears with its first environment.
/// </summary>
internal sealed partial class LogsHandler
{
    private const int DefaultDescribeLimit = 50;

    private byte[] DescribeLogGroups(LogsCall call)
    {
        var prefix = call.String("logGroupNamePrefix");
        var pattern = call.String("logGroupNamePattern");
        var identifiers = call.Strings("logGroupIdentifiers");
        var groupClass = GroupClass(call);
        var limit = (int)(call.Long("limit", 1, 50) ?? DefaultDescribeLimit);
        if (prefix is not null && pattern is not null)
        {
            throw LogsException.InvalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }

        if (identifiers is not null && (prefix is not null || pattern is not null))
        {
            throw LogsException.InvalidParameter("LogGroupIdentifiers and LogGroup name prefix or pattern are mutually exclusive parameters.");
        }

        if (identifiers is { Count: 0 or > 50 })
        {
            throw LogsException.InvalidParameter("1 validation error detected: Value at 'logGroupIdentifiers' failed to satisfy constraint: Member must have length between 1 and 50");
        }

        var wanted = identifiers?.Select(NameOf).ToHashSet(StringComparer.Ordinal);
        Authorize(call, "DescribeLogGroups", StreamArn(string.Empty, string.Empty));
        var matching = store.Groups()
            .Where(g => prefix is null || g.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Where(g => pattern is null || g.Name.Contains(pattern, StringComparison.Ordinal))
            .Where(g => wanted is null || wanted.Contains(g.Name))
            .Where(g => groupClass is null || g.Class == groupClass)
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var (page, next) = Page(matching, call.String("nextToken"), limit);
        return Json(writer =>
        {
            writer.WriteStartArray("logGroups");
            foreach (var group in page)
            {
                writer.WriteStartObject();
                writer.WriteString("logGroupName", group.Name);
                writer.WriteNumber("creationTime", group.CreationTime);
                if (group.RetentionInDays is { } days)
                {
                    writer.WriteNumber("retentionInDays", days);
                }

                if (group.KmsKeyId is { } key)
                {
                    writer.WriteString("kmsKeyId", key);
                }

                writer.WriteNumber("metricFilterCount", 0);
                writer.WriteString("arn", GroupArn(group.Name));
                writer.WriteNumber("storedBytes", group.Files.Sum(f => File.Exists(f.Path) ? new FileInfo(f.Path).Length : 0));
                writer.WriteString("logGroupClass", group.Class);
                writer.WriteString("logGroupArn", GroupArn(group.Name)[..^2]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteToken(writer, "nextToken", next);
        });
    }

    private byte[] DescribeLogStreams(LogsCall call)
    {
        var prefix = call.String("logStreamNamePrefix");
        var orderBy = call.String("orderBy") ?? "LogStreamName";
        var descending = call.Bool("descending") ?? false;
        var limit = (int)(call.Long("limit", 1, 50) ?? DefaultDescribeLimit);
        if (orderBy is not ("LogStreamName" or "LastEventTime"))
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value '{orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        }

        if (prefix is not null && orderBy == "LastEventTime")
        {
            throw LogsException.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }

        var group = Group(call, "DescribeLogStreams");
        var streams = Events(group)
            .GroupBy(e => e.StreamName, StringComparer.Ordinal)
            .Select(s => (Name: s.Key, Created: s.Min(e => e.Timestamp), First: (long?)s.Min(e => e.Timestamp), Last: (long?)s.Max(e => e.Timestamp)))
            .ToList();
        // Streams created with CreateLogStream are listed before their first event, without event times.
        foreach (var (name, created) in store.CreatedStreams(group.Name))
        {
            var index = streams.FindIndex(s => s.Name == name);
            streams.Add(index < 0 ? (name, created, null, null) : streams[index] with { Created = created });
            if (index >= 0)
            {
                streams.RemoveAt(index);
            }
        }

        var filtered = streams.Where(s => prefix is null || s.Name.StartsWith(prefix, StringComparison.Ordinal));
        var ordered = (orderBy == "LogStreamName"
            ? filtered.OrderBy(s => s.Name, StringComparer.Ordinal)
            : filtered.OrderBy(s => s.Last ?? s.Created).ThenBy(s => s.Name, StringComparer.Ordinal)).ToList();
        if (descending)
        {
            ordered.Reverse();
        }

        var (page, next) = Page(ordered, call.String("nextToken"), limit);
        return Json(writer =>
        {
            writer.WriteStartArray("logStreams");
            foreach (var stream in page)
            {
                writer.WriteStartObject();
                writer.WriteString("logStreamName", stream.Name);
                writer.WriteNumber("creationTime", stream.Created);
                if (stream is { First: { } first, Last: { } last })
                {
                    writer.WriteNumber("firstEventTimestamp", first);
                    writer.WriteNumber("lastEventTimestamp", last);
                    writer.WriteNumber("lastIngestionTime", last);
                }

                writer.WriteString("arn", StreamArn(group.Name, stream.Name));
                writer.WriteNumber("storedBytes", 0);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteToken(writer, "nextToken", next);
        });
    }

    /// <summary>
    /// One page of <paramref name="items"/> from the position <paramref name="token"/> names (the first when null), and
    /// the token of the next page (null at the end). Tokens are positions in the list as it is when asked again.
    /// </summary>
    /// <param name="items">The whole list.</param>
    /// <param name="token">The position to start from.</param>
    /// <param name="limit">The most items of a page.</param>
    /// <param name="size">What an item weighs against <paramref name="maxSize"/>, which a page (of one item at least) stays within.</param>
    /// <param name="maxSize">The most a page may weigh.</param>
    private static (List<T> Page, string? Next) Page<T>(List<T> items, string? token, int limit, Func<T, long>? size = null, long maxSize = long.MaxValue)
    {
        var start = token is null ? 0 : Position(token, "p/") ?? throw LogsException.InvalidToken();
        var page = new List<T>();
        var weight = 0L;
        foreach (var item in items.Skip(start).Take(limit))
        {
            weight += size?.Invoke(item) ?? 0;
            if (page.Count > 0 && weight > maxSize)
            {
                break;
            }

            page.Add(item);
        }

        var end = start + page.Count;
        return (page, end < items.Count ? Token("p/", end) : null);
    }

    /// <summary>The <c>logGroupClass</c> member, one of CloudWatch Logs' classes; null when absent.</summary>
    private static string? GroupClass(LogsCall call)
    {
        var groupClass = call.String("logGroupClass");
        return groupClass is null or "STANDARD" or "INFREQUENT_ACCESS" or "DELIVERY"
            ? groupClass
            : throw LogsException.InvalidParameter($"1 validation error detected: Value '{groupClass}' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]");
    }

    private static string Token(string kind, int position) =>
        kind + position.ToString("D20", CultureInfo.InvariantCulture);

    private static int? Position(string token, string kind) =>
        token.StartsWith(kind, StringComparison.Ordinal)
        && int.TryParse(token.AsSpan(kind.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : null;

    private static void WriteToken(Utf8JsonWriter writer, string name, string? token)
    {
        if (token is not null)
        {
            writer.WriteString(name, token);
        }
    }
}
