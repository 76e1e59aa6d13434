using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// ListCommands' and ListCommandInvocations' <c>Filters</c>, as the API reference's CommandFilter describes them: 1 to
/// 5 filters, each a <c>key</c> (<c>InvokedAfter</c>, <c>InvokedBefore</c>, <c>Status</c>, <c>ExecutionStage</c>,
/// <c>DocumentName</c>) and a <c>value</c> of 1 to 128 characters; an item must match every filter.
/// <c>ExecutionStage</c> is ListCommands' only.
/// </summary>
internal sealed partial class SsmHandler
{
    private const int MaxCommandFilters = 5;

    private static readonly string[] CommandFilterKeys = ["InvokedAfter", "InvokedBefore", "Status", "ExecutionStage", "DocumentName"];

    /// <summary>The <c>Status</c> values ListCommands takes.</summary>
    private static readonly string[] CommandStatusValues =
        ["Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut", "AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut", "Incomplete", "NoInstancesInTag", "LimitExceeded"];

    /// <summary>The <c>Status</c> values ListCommandInvocations takes.</summary>
    private static readonly string[] InvocationStatusValues =
        ["Pending", "InProgress", "Delayed", "Success", "Cancelled", "Failed", "TimedOut", "AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut", "Undeliverable", "InvalidPlatform", "Terminated"];

    /// <summary>
    /// The call's filters as one predicate on a command and its invocations (ListCommands: the command's status;
    /// ListCommandInvocations: each invocation's, <paramref name="forInvocations"/>), checked first.
    /// </summary>
    private static Func<RunCommand, CommandInvocation?, string, bool> CommandFilters(SsmCall call, bool forInvocations)
    {
        var checks = new List<Func<RunCommand, CommandInvocation?, string, bool>>();
        foreach (var (key, value) in KeyValueFilters(call, MaxCommandFilters, CommandFilterKeys, 128))
        {
            checks.Add(key switch
            {
                "InvokedAfter" => Invoked(value, after: true),
                "InvokedBefore" => Invoked(value, after: false),
                "DocumentName" => (command, _, _) => command.DocumentName == value,
                "ExecutionStage" when forInvocations => throw new SsmException("InvalidFilterKey", "The ExecutionStage filter can't be used with ListCommandInvocations, only with ListCommands."),
                "ExecutionStage" => value switch
                {
                    "Executing" => (_, _, status) => status is "Pending" or "InProgress" or "Cancelling",
                    "Complete" => (_, _, status) => status is not ("Pending" or "InProgress" or "Cancelling"),
                    _ => throw SsmException.Validation($"The value {value} of the ExecutionStage filter is not valid. Valid values: [Executing, Complete]."),
                },
                _ => StatusFilter(value, forInvocations),
            });
        }

        return (command, invocation, status) => checks.TrueForAll(check => check(command, invocation, status));
    }

    /// <summary>
    /// <c>Status</c>: an invocation's <c>Status</c> or <c>StatusDetails</c> (<c>TimedOut</c> covering both
    /// delivery and execution time-outs); a command's status, or for <c>DeliveryTimedOut</c> and
    /// <c>ExecutionTimedOut</c> a timed-out command with such an invocation.
    /// </summary>
    private static Func<RunCommand, CommandInvocation?, string, bool> StatusFilter(string value, bool forInvocations)
    {
        var valid = forInvocations ? InvocationStatusValues : CommandStatusValues;
        if (!valid.Contains(value, StringComparer.Ordinal))
        {
            throw SsmException.Validation($"The value {value} of the Status filter is not valid. Valid values: [{string.Join(", ", valid)}].");
        }

        return forInvocations
            ? (_, invocation, status) => status == value || invocation?.StatusDetails == value
            : (_, invocation, status) => status == value || (status == "TimedOut" && invocation?.StatusDetails == value);
    }

    /// <summary><c>InvokedAfter</c> (at or after) and <c>InvokedBefore</c> (before): an ISO 8601 time such as <c>2024-07-07T00:00:00Z</c>.</summary>
    private static Func<RunCommand, CommandInvocation?, string, bool> Invoked(string value, bool after)
    {
        var bound = FilterTime(after ? "InvokedAfter" : "InvokedBefore", value);
        return (command, _, _) => after ? command.RequestedMilliseconds >= bound : command.RequestedMilliseconds < bound;
    }

    /// <summary>
    /// A list member of <c>{key, value}</c> filters (CommandFilter, SessionFilter): 1 to <paramref name="maximum"/>
    /// of them (none when the member is absent), each key one of <paramref name="keys"/>, each value 1 to
    /// <paramref name="maximumValue"/> characters; else ValidationException as AWS words the constraint.
    /// </summary>
    private static List<(string Key, string Value)> KeyValueFilters(SsmCall call, int maximum, string[] keys, int maximumValue)
    {
        var objects = call.Objects("Filters");
        if (call.Input.TryGetProperty("Filters", out var listed) && listed.ValueKind == JsonValueKind.Array && (objects.Count == 0 || objects.Count > maximum))
        {
            throw SsmException.Validation(string.Create(
                CultureInfo.InvariantCulture,
                $"1 validation error detected: Value at 'filters' failed to satisfy constraint: Member must have length {(objects.Count == 0 ? "greater than or equal to 1" : $"less than or equal to {maximum}")}"));
        }

        var filters = new List<(string, string)>();
        for (var index = 0; index < objects.Count; index++)
        {
            var member = string.Create(CultureInfo.InvariantCulture, $"filters.{index + 1}.member");
            var key = objects[index].TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : null;
            var value = objects[index].TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : null;
            if (key is null || value is null)
            {
                throw SsmException.Validation($"1 validation error detected: Value null at '{member}.{(key is null ? "key" : "value")}' failed to satisfy constraint: Member must not be null");
            }

            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                throw SsmException.Validation($"1 validation error detected: Value '{key}' at '{member}.key' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", keys)}]");
            }

            if (value.Length < 1 || value.Length > maximumValue)
            {
                throw SsmException.Validation(string.Create(
                    CultureInfo.InvariantCulture,
                    $"1 validation error detected: Value '{value}' at '{member}.value' failed to satisfy constraint: Member must have length {(value.Length < 1 ? "greater than or equal to 1" : $"less than or equal to {maximumValue}")}"));
            }

            filters.Add((key, value));
        }

        return filters;
    }

    /// <summary>An <c>InvokedAfter</c>/<c>InvokedBefore</c> filter's ISO 8601 time (such as <c>2024-07-07T00:00:00Z</c>), in milliseconds.</summary>
    private static long FilterTime(string key, string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) && value.Contains('T', StringComparison.Ordinal)
            ? moment.ToUnixTimeMilliseconds()
            : throw SsmException.Validation($"The value {value} of the {key} filter is not a valid timestamp, such as 2024-07-07T00:00:00Z.");
}
