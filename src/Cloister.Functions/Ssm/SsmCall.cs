using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Policy;

namespace Cloister.Functions.Ssm;

/// <summary>
/// One authenticated call: who made it (null on the stack host's own connection, which is not authorized), where from
/// and through which endpoint, and its JSON input with Parameter Store's checks of each member (their names as the
/// API's, their constraint messages as AWS words them, with the member's name in camelCase).
/// </summary>
internal sealed record SsmCall(CallerIdentity? Caller, ServiceConnection Connection, bool IsHttps, JsonElement Input)
{
    public string? String(string name) => Member(name, JsonValueKind.String) is { } value ? value.GetString() : null;

    public bool Bool(string name) => Member(name, JsonValueKind.True) is { } value && value.GetBoolean();

    public int? Int(string name, int minimum, int maximum)
    {
        if (Member(name, JsonValueKind.Number) is not { } value)
        {
            return null;
        }

        if (!value.TryGetInt32(out var number))
        {
            throw new SsmException("SerializationException", $"{name} is not an integer.");
        }

        if (number < minimum || number > maximum)
        {
            var bound = number < minimum
                ? string.Create(CultureInfo.InvariantCulture, $"greater than or equal to {minimum}")
                : string.Create(CultureInfo.InvariantCulture, $"less than or equal to {maximum}");
            throw SsmException.Validation(string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value '{number}' at '{Camel(name)}' failed to satisfy constraint: Member must have value {bound}"));
        }

        return number;
    }

    /// <summary>A whole number member (such as <c>ParameterVersion</c>); null when absent.</summary>
    public long? Long(string name)
    {
        if (Member(name, JsonValueKind.Number) is not { } value)
        {
            return null;
        }

        return value.TryGetInt64(out var number) ? number : throw new SsmException("SerializationException", $"{name} is not an integer.");
    }

    /// <summary>A list of strings of 1 to <paramref name="maximum"/> items; null when absent.</summary>
    public List<string>? Strings(string name, int maximum)
    {
        if (Member(name, JsonValueKind.Array) is not { } value)
        {
            return null;
        }

        List<string> items = [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw new SsmException("SerializationException", $"{name} must be a list of strings."))];
        if (items.Count < 1 || items.Count > maximum)
        {
            var bound = items.Count < 1
                ? "greater than or equal to 1"
                : string.Create(CultureInfo.InvariantCulture, $"less than or equal to {maximum}");
            throw SsmException.Validation($"1 validation error detected: Value '[{string.Join(", ", items)}]' at '{Camel(name)}' failed to satisfy constraint: Member must have length {bound}");
        }

        return items;
    }

    /// <summary>The objects of a list member (such as <c>ParameterFilters</c>); empty when absent.</summary>
    public List<JsonElement> Objects(string name) =>
        Member(name, JsonValueKind.Array) is { } value
            ? [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object ? item : throw new SsmException("SerializationException", $"{name} must be a list of objects."))]
            : [];

    /// <summary>
    /// A string member of <paramref name="minimum"/> to <paramref name="maximum"/> characters that matches
    /// <paramref name="pattern"/> whole (AWS's model pattern, when it has one); null when absent; else
    /// ValidationException as AWS words the constraint it fails.
    /// </summary>
    public string? Matching(string name, string? pattern, int maximum = int.MaxValue, int minimum = 0)
    {
        if (String(name) is not { } value)
        {
            return null;
        }

        var constraint = value.Length < minimum ? string.Create(CultureInfo.InvariantCulture, $"Member must have length greater than or equal to {minimum}")
            : value.Length > maximum ? string.Create(CultureInfo.InvariantCulture, $"Member must have length less than or equal to {maximum}")
            : pattern is not null && !Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) ? $"Member must satisfy regular expression pattern: {pattern}"
            : null;
        return constraint is null
            ? value
            : throw SsmException.Validation($"1 validation error detected: Value '{value}' at '{Camel(name)}' failed to satisfy constraint: {constraint}");
    }

    /// <summary>A required string member; ValidationException as AWS words a missing one.</summary>
    public string Required(string name) =>
        String(name) ?? throw SsmException.Validation($"1 validation error detected: Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");

    /// <summary>
    /// The required <c>Name</c> of a parameter operation, 1 to <see cref="ParameterNames.MaxLength"/> characters, else
    /// ValidationException as AWS words a length constraint (an empty name is no name that could be found or made).
    /// Spaces at its ends are dropped ("The service removes any spaces specified for the beginning or end of a
    /// parameter name"); one inside it breaks the name rules.
    /// </summary>
    public string ParameterName()
    {
        var name = Required("Name").Trim(' ');
        return name.Length is >= 1 and <= ParameterNames.MaxLength
            ? name
            : throw SsmException.Validation(string.Create(
                CultureInfo.InvariantCulture,
                $"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length {(name.Length < 1 ? "greater than or equal to 1" : $"less than or equal to {ParameterNames.MaxLength}")}"));
    }

    /// <summary>A member name as AWS's validation messages write it (<c>MaxResults</c> → <c>maxResults</c>).</summary>
    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private JsonElement? Member(string name, JsonValueKind kind)
    {
        if (!Input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind || (kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False)
            ? value
            : throw new SsmException("SerializationException", $"{name} has the wrong type.");
    }
}
