using System.Buffers;
using System.Text.Json;
using Cloister.Shared.Validation;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs' model validation of the calls that read and write events (GetLogEvents, FilterLogEvents,
/// PutLogEvents): every member the API model constrains is checked in the model's member order and every violation
/// answered in one InvalidParameterException ("2 validation errors detected: ..."), before the group is looked for or
/// the call's own rules (mutually exclusive members, event order, the 24-hour span) are applied.
/// </summary>
internal static class LogsConstraints
{
    public const int MaxEvents = 10_000;

    private const string GroupNamePattern = @"[\.\-_/#A-Za-z0-9]+";
    private const string StreamNamePattern = "[^:*]*";

    private static readonly SearchValues<char> GroupNameCharacters =
        SearchValues.Create(".-_/#ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    public static void GetLogEvents(LogsCall call)
    {
        var violations = new ConstraintViolations();
        GroupName(violations, call);

        // An empty stream name reads as none, as the sandbox has always answered it.
        if (string.IsNullOrEmpty(call.String("logStreamName")))
        {
            violations.NotNull("logStreamName");
        }
        else
        {
            StreamName(violations, call.String("logStreamName"), "logStreamName");
        }

        Times(violations, call);
        violations.Range(call.Long("limit", long.MinValue), "limit", 1, MaxEvents);
        ThrowIfAny(violations);
    }

    public static void FilterLogEvents(LogsCall call)
    {
        var violations = new ConstraintViolations();
        GroupName(violations, call);
        if (call.Strings("logStreamNames") is { Count: 0 or > 100 })
        {
            violations.Add(ConstraintViolations.Unvalued("logStreamNames", "Member must have length between 1 and 100"));
        }

        StreamName(violations, call.String("logStreamNamePrefix"), "logStreamNamePrefix");
        Times(violations, call);
        violations.Range(call.Long("limit", long.MinValue), "limit", 1, MaxEvents);
        ThrowIfAny(violations);
    }

    public static void PutLogEvents(LogsCall call)
    {
        var violations = new ConstraintViolations();
        GroupName(violations, call);
        StreamName(violations, call.String("logStreamName") ?? string.Empty, "logStreamName");
        if (!call.Input.TryGetProperty("logEvents", out var events) || events.ValueKind != JsonValueKind.Array || events.GetArrayLength() is 0 or > MaxEvents)
        {
            violations.Add(ConstraintViolations.Unvalued("logEvents", $"Member must have length less than or equal to {MaxEvents} and greater than or equal to 1"));
        }

        ThrowIfAny(violations);
    }

    /// <summary>
    /// A stream name's (or prefix's) violations, one at most: 1 to 512 characters without ':' or '*', answered as the
    /// pattern as the sandbox always has; nothing when absent.
    /// </summary>
    public static void StreamName(ConstraintViolations violations, string? stream, string member)
    {
        if (stream is not null && (stream.Length is 0 or > 512 || stream.AsSpan().ContainsAny(':', '*')))
        {
            violations.Add(stream, member, "Member must satisfy regular expression pattern: " + StreamNamePattern);
        }
    }

    /// <summary>Answers every violation collected in one InvalidParameterException, CloudWatch Logs' type for them.</summary>
    public static void ThrowIfAny(ConstraintViolations violations)
    {
        if (violations.Any)
        {
            throw LogsException.InvalidParameter(violations.Message);
        }
    }

    private static void GroupName(ConstraintViolations violations, LogsCall call)
    {
        var name = call.String("logGroupName");
        violations.Length(name, "logGroupName", 1, 512);
        violations.Pattern(name, "logGroupName", name is null || !name.AsSpan().ContainsAnyExcept(GroupNameCharacters), GroupNamePattern);
    }

    private static void Times(ConstraintViolations violations, LogsCall call)
    {
        violations.Range(call.Long("startTime", long.MinValue), "startTime", 0, long.MaxValue);
        violations.Range(call.Long("endTime", long.MinValue), "endTime", 0, long.MaxValue);
    }
}
