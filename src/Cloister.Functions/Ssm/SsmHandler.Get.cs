using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// GetParameter, GetParameters and GetParametersByPath. A name may carry a selector: <c>NAME:VERSION</c> reads that
/// version, <c>NAME:LABEL</c> the version the label is on. A SecureString's value is answered as written
/// with <c>WithDecryption</c>, else as its opaque ciphertext.
/// </summary>
internal sealed partial class SsmHandler
{
    private const int MaxByPathResults = 10;

    private static readonly string[] ByPathFilterKeys = ["Type", "KeyId", "Label"];

    private byte[] GetParameter(SsmCall call)
    {
        var requested = call.ParameterName();
        var decrypt = call.Bool("WithDecryption");
        var (name, selector) = Split(requested);
        Authorize(call, "GetParameter", ParameterArn(name));
        var found = Find(name, selector, versionMissing: version => SsmException.VersionNotFound(name, version)) ?? throw SsmException.NotFound();
        return Json(writer =>
        {
            writer.WritePropertyName("Parameter");
            WriteParameter(writer, found, decrypt, selector);
        });
    }

    private byte[] GetParameters(SsmCall call)
    {
        var names = call.Strings("Names", 10) ?? throw SsmException.Validation("1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
        var decrypt = call.Bool("WithDecryption");
        foreach (var requested in names)
        {
            Authorize(call, "GetParameters", ParameterArn(Split(requested).Name));
        }

        var found = new List<(ParameterVersion Version, string? Selector)>();
        var invalid = new List<string>();
        foreach (var requested in names.Distinct(StringComparer.Ordinal))
        {
            var (name, selector) = Split(requested);
            if (Find(name, selector, versionMissing: null) is { } version)
            {
                found.Add((version, selector));
            }
            else
            {
                invalid.Add(requested);
            }
        }

        return Json(writer =>
        {
            writer.WriteStartArray("Parameters");
            foreach (var (version, selector) in found)
            {
                WriteParameter(writer, version, decrypt, selector);
            }

            writer.WriteEndArray();
            WriteStrings(writer, "InvalidParameters", invalid);
        });
    }

    private byte[] GetParametersByPath(SsmCall call)
    {
        var path = ParameterNames.CheckPath(call.Required("Path"));
        var recursive = call.Bool("Recursive");
        var decrypt = call.Bool("WithDecryption");
        var limit = call.Int("MaxResults", 1, MaxByPathResults) ?? MaxByPathResults;
        var filters = ParameterFilter.Read(call.Objects("ParameterFilters"), ByPathFilterKeys, tags: false);
        var token = call.String("NextToken");
        Authorize(call, "GetParametersByPath", ParameterArn(path == "/" ? string.Empty : path));
        // With a Label filter a parameter is answered at the version carrying the label (the label's point), else its latest.
        var labels = filters.Where(f => f.Key == "Label").SelectMany(f => f.Values).ToList();
        var matching = store.All()
            .Where(p => ParameterNames.IsUnder(p.Name, path, recursive))
            .Select(p => labels.Count == 0 ? p : store.History(p.Name).Find(v => v.Labels.Any(labels.Contains)))
            .OfType<ParameterVersion>()
            .Where(p => filters.TrueForAll(f => f.Matches(p)))
            .ToList();
        var (page, next) = Page(matching, token, limit);
        return PageJson("Parameters", page, next, (writer, version) =>
        {
            WriteParameter(writer, version, decrypt, selector: null);
        });
    }

    /// <summary>
    /// A name and its selector (<c>:3</c>, <c>:label</c>), if any. The name may be the parameter's ARN in this account
    /// and region, as GetParameter accepts: <c>parameter/a/b</c> is <c>/a/b</c>, and <c>parameter/a</c> is <c>/a</c>
    /// when that exists, else <c>a</c> (both have that ARN). Another account's ARN names nothing here.
    /// </summary>
    private (string Name, string? Selector) Split(string requested)
    {
        var prefix = $"arn:{account.Partition}:ssm:{account.Region}:{account.AccountId}:parameter/";
        if (requested.StartsWith(prefix, StringComparison.Ordinal))
        {
            var (rest, selector) = Split(requested[prefix.Length..]);
            var slashed = rest.Contains('/', StringComparison.Ordinal) || store.Latest("/" + rest) is not null;
            return (slashed ? "/" + rest : rest, selector);
        }

        var at = requested.LastIndexOf(':');
        return at > 0 && !requested.StartsWith("arn:", StringComparison.Ordinal) ? (requested[..at], requested[at..]) : (requested, null);
    }

    /// <summary>
    /// The version <paramref name="selector"/> picks of <paramref name="name"/> (its latest without one); null when the
    /// parameter, or the label, is missing (AWS answers an unknown label ParameterNotFound). A missing version is <paramref name="versionMissing"/>'s refusal, else null.
    /// </summary>
    private ParameterVersion? Find(string name, string? selector, Func<long, SsmException>? versionMissing)
    {
        if (selector is null)
        {
            return store.Latest(name);
        }

        var history = store.History(name);
        if (history.Count == 0)
        {
            return null;
        }

        if (!long.TryParse(selector.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            var label = selector[1..];
            return history.Find(v => v.Labels.Contains(label));
        }

        return history.Find(v => v.Version == number) ?? (versionMissing is null ? null : throw versionMissing(number));
    }

    /// <summary>One page of <paramref name="items"/> (in name order) from the name <paramref name="token"/> stands for, and the next page's token.</summary>
    private static (List<ParameterVersion> Page, string? Next) Page(List<ParameterVersion> items, string? token, int limit)
    {
        var from = token is null ? null : NameOf(token);
        var rest = from is null ? items : [.. items.Where(p => string.CompareOrdinal(p.Name, from) >= 0)];
        var page = rest.Take(limit).ToList();
        return (page, rest.Count > limit ? Token(rest[limit].Name) : null);
    }

    private void WriteParameter(Utf8JsonWriter writer, ParameterVersion version, bool decrypt, string? selector)
    {
        writer.WriteStartObject();
        writer.WriteString("Name", version.Name);
        writer.WriteString("Type", version.Type);
        writer.WriteString("Value", ValueOf(version, decrypt));
        writer.WriteNumber("Version", version.Version);
        if (selector is not null)
        {
            writer.WriteString("Selector", selector);
        }

        writer.WriteNumber("LastModifiedDate", Seconds(version.LastModified));
        writer.WriteString("ARN", ParameterArn(version.Name));
        writer.WriteString("DataType", version.DataType);
        writer.WriteEndObject();
    }

    private static string ValueOf(ParameterVersion version, bool decrypt) =>
        version.Type == "SecureString" && !decrypt ? version.Ciphertext ?? string.Empty : version.Value;
}
