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
                throw SsmException.Validation($"The following filter key is not valid: {key}. Valid filter keys include: [{string.Join(", ", keys)}].");
            }

            var option = item.TryGetProperty(nameof(Option), out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : key == "Path" ? "OneLevel" : "Equals";
            List<string> values = item.TryGetProperty(nameof(Values), out var v) && v.ValueKind == JsonValueKind.Array
                ? [.. v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : [];
            var allowed = key switch
            {
                "Name" => ["Equals", "BeginsWith", "Contains"],
                "Path" => ["Recursive", "OneLevel"],
                _ when key.StartsWith("tag:", StringComparison.Ordinal) => ["Equals", "BeginsWith", "Contains"],
                _ => new[] { "Equals" },
            };
            if (!allowed.Contains(option))
            {
                throw SsmException.Validation($"The following filter option is not valid: {option}. Valid options include: [{string.Join(", ", allowed)}].");
            }

            if (values.Count == 0 && key != "tag:")
            {
                throw SsmException.Validation($"The following filter values are missing : null for filter key {key}.");
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
        "Type" => Values.Contains(parameter.Type),
        "Tier" => Values.Contains(parameter.Tier),
        "DataType" => Values.Contains(parameter.DataType),
        "KeyId" => parameter.DescribedKeyId is { } key && Values.Contains(key),
        "Label" => parameter.Labels.Any(Values.Contains),
        _ => false,
    };
}
