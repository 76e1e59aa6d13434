using System.Text.Json;
using Cloister.Policy;
using Cloister.Shared.Validation;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// One authenticated call: who made it (null on the stack host's own connection, which is not authorized), where from
/// and through which endpoint, and its JSON input with CloudWatch Logs' checks of each member.
/// </summary>
internal sealed record LogsCall(CallerIdentity? Caller, ServiceConnection Connection, bool IsHttps, JsonElement Input)
{
    public string? String(string name) => Member(name, JsonValueKind.String) is { } value ? value.GetString() : null;

    public bool? Bool(string name) => Member(name, JsonValueKind.True) is { } value ? value.GetBoolean() : null;

    public long? Long(string name, long minimum = 0, long maximum = long.MaxValue)
    {
        if (Member(name, JsonValueKind.Number) is not { } value)
        {
            return null;
        }

        if (!value.TryGetInt64(out var number))
        {
            throw new LogsException("SerializationException", $"{name} is not an integer.");
        }

        var violations = new ConstraintViolations();
        violations.Range(number, name, minimum, maximum);
        LogsConstraints.ThrowIfAny(violations);
        return number;
    }

    public List<string>? Strings(string name)
    {
        if (Member(name, JsonValueKind.Array) is not { } value)
        {
            return null;
        }

        return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw new LogsException("SerializationException", $"{name} must be a list of strings."))];
    }

    /// <summary>A map of strings to strings (tags), or null when absent.</summary>
    public Dictionary<string, string>? Map(string name)
    {
        if (Member(name, JsonValueKind.Object) is not { } value)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw new LogsException("SerializationException", $"{name} must map strings to strings.");
        }

        return map;
    }

    private JsonElement? Member(string name, JsonValueKind kind)
    {
        if (!Input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind || (kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False)
            ? value
            : throw new LogsException("SerializationException", $"{name} has the wrong type.");
    }
}
