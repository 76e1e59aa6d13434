using System.Globalization;

namespace Cloister.Shared.Validation;

/// <summary>
/// The constraint violations of one request, collected before it is answered, in the words of AWS's Coral validation
/// (DynamoDB, Lambda, STS, CloudWatch Logs): every member is checked and every violation listed in one
/// ValidationException, "2 validation errors detected: Value 'a b' at 'tableName' failed to satisfy constraint: ...;
/// Value null at 'keySchema' failed to satisfy constraint: Member must not be null", in the order they were added (the
/// caller checks members in the API model's order). Each service wraps <see cref="Message"/> in its own error shape.
/// </summary>
internal sealed class ConstraintViolations
{
    // Made with the first violation: a request that breaks none, nearly every one on the item path, allocates no list.
    private List<string>? _violations;

    public int Count => _violations?.Count ?? 0;

    public bool Any => _violations is { Count: > 0 };

    /// <summary>"N validation error(s) detected: " and the violations joined by "; "; meaningful only when <see cref="Any"/>.</summary>
    public string Message => Format(_violations ?? []);

    /// <summary>The message of a request with one violation.</summary>
    public static string Single(string violation) => Format([violation]);

    /// <summary>A violation in Coral's words: the value as given (<c>null</c> when absent), the member, the constraint broken.</summary>
    public static string Violation(string? value, string member, string constraint) =>
        value is null
            ? $"Value null at '{member}' failed to satisfy constraint: {constraint}"
            : $"Value '{value}' at '{member}' failed to satisfy constraint: {constraint}";

    /// <summary>A violation whose value Coral leaves out ("Value at 'x'"), as it does for some lists and maps.</summary>
    public static string Unvalued(string member, string constraint) =>
        $"Value at '{member}' failed to satisfy constraint: {constraint}";

    public void Add(string violation) => (_violations ??= []).Add(violation);

    public void Add(string? value, string member, string constraint) => (_violations ??= []).Add(Violation(value, member, constraint));

    /// <summary>A required member left out (or sent as JSON null).</summary>
    public void NotNull(string member) => Add(null, member, "Member must not be null");

    /// <summary>A string member's length bounds; nothing when it is absent.</summary>
    public void Length(string? value, string member, int min, int max)
    {
        if (value is null || (value.Length >= min && value.Length <= max))
        {
            return;
        }

        Add(value, member, string.Create(
            CultureInfo.InvariantCulture,
            $"Member must have length {(value.Length < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}"));
    }

    /// <summary>A number member's bounds; nothing when it is absent.</summary>
    public void Range(long? value, string member, long min, long max)
    {
        if (value is not { } number || (number >= min && number <= max))
        {
            return;
        }

        Add(number.ToString(CultureInfo.InvariantCulture), member, string.Create(
            CultureInfo.InvariantCulture,
            $"Member must have value {(number < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}"));
    }

    /// <summary>A member's regular expression, as the model spells it; nothing when it is absent or matches.</summary>
    public void Pattern(string? value, string member, bool matches, string pattern)
    {
        if (value is not null && !matches)
        {
            Add(value, member, "Member must satisfy regular expression pattern: " + pattern);
        }
    }

    /// <summary>An enum member's value set; nothing when it is absent or one of them.</summary>
    public void Enum(string? value, string member, params ReadOnlySpan<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            Add(value, member, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }
    }

    private static string Format(List<string> violations) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{violations.Count} validation {(violations.Count == 1 ? "error" : "errors")} detected: {string.Join("; ", violations)}");
}
