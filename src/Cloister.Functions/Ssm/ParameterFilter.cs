using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// One of the <c>ParameterFilters</c> of DescribeParameters and GetParametersByPath: a key (<c>Name</c>, <c>Type</c>,
/// <c>KeyId</c>, <c>Path</c>, <c>Tier</c>, <c>DataType</c>, <c>Label</c>, <c>tag:KEY</c>), an option (<c>Equals</c>,
/// <c>BeginsWith</c>, <c>Contains</c>, <c>Recursive</c>, <c>OneLevel</c>) and values. A label filter matches a version
/// carrying one of its labels; parameters carry no tags in the sandbox, so a tag filter matches none.
/// </summary>
internal sealed record ParameterFilter(string Key, string Option, IReadOnlyList<string> Values)
{
    /// <summary>Every SecureString is encrypted with the account's default key, as without a KeyId on AWS.</summary>
    public const string DefaultKeyId = "alias/aws/ssm";

    /// <summary>
    /// The filters of <paramref name="items"/>, refusing keys outside <paramref name="keys"/> (and <c>tag:KEY</c> unless
    /// <paramref name="tags"/>: GetParametersByPath reads none, as its API reference says) as AWS words it.
    /// </summary>
    public static List<ParameterFilter> Read(IEnumerable<JsonElement> items, IReadOnlyList<string> keys, bool tags)
    {
        var filters = new List<ParameterFilter>();
        foreach (var item in items)
        {
            var key = item.TryGetProperty(nameof(Key), out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : string.Empty;
            if (!keys.Contains(key) && !(tags && key.StartsWith("tag:", StringComparison.Ordinal)))
            {
                throw new SsmException("InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [{string.Join(", ", keys)}].");
            }

            var option = item.TryGetProperty(nameof(Option), out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : key == "Path" ? "OneLevel" : "Equals";
            List<string> values = item.TryGetProperty(nameof(Values), out var v) && v.ValueKind == JsonValueKind.Array
                ? [.. v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : [];
            // The API reference's ParameterStringFilter: Equals and BeginsWith, Name also Contains, Path its own, Label only Equals.
            var allowed = key switch
            {
                "Name" => ["Equals", "BeginsWith", "Contains"],
                "Path" => ["Recursive", "OneLevel"],
                "Label" => ["Equals"],
                _ => new[] { "Equals", "BeginsWith" },
            };
            if (!allowed.Contains(option))
            {
                throw new SsmException("InvalidFilterOption", $"The following filter option is not valid: {option}. Valid options include: [{string.Join(", ", allowed)}].");
            }

            if (values.Count == 0 && key != "tag:")
            {
                throw new SsmException("InvalidFilterValue", $"The following filter values are missing : null for filter key {key}.");
            }

            filters.Add(new ParameterFilter(key, option, values));
        }

        return filters;
    }

    /// <summary>Whether <paramref name="parameter"/> passes this filter.</summary>
    public bool Matches(ParameterVersion parameter) => Key switch
    {
        "Name" => Values.Any(v => Option switch
        {
            "BeginsWith" => parameter.Name.StartsWith(v, StringComparison.Ordinal) || ("/" + parameter.Name).StartsWith(v, StringComparison.Ordinal),
            "Contains" => parameter.Name.Contains(v, StringComparison.Ordinal),
            _ => parameter.Name == v || "/" + parameter.Name == v,
        }),
        "Path" => Values.Any(v => ParameterNames.IsUnder(parameter.Name, ParameterNames.CheckPath(v), Option == "Recursive")),
        "Type" => Compare(parameter.Type),
        "Tier" => Compare(parameter.Tier),
        "DataType" => Compare(parameter.DataType),
        "KeyId" => parameter.DescribedKeyId is { } key && Compare(key),
        "Label" => parameter.Labels.Any(Values.Contains),
        _ => false,
    };

    private bool Compare(string actual) =>
        Values.Any(v => Option == "BeginsWith" ? actual.StartsWith(v, StringComparison.Ordinal) : actual == v);
}
