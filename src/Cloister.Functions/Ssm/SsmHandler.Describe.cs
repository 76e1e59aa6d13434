using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>DescribeParameters and GetParameterHistory: what is known of parameters besides their values.</summary>
internal sealed partial class SsmHandler
{
    private const int MaxDescribeResults = 50;

    // Every ParameterStringFilter key but Label, as the API reference says.
    private static readonly string[] DescribeFilterKeys = ["Name", "Type", "KeyId", "Path", "Tier", "DataType"];

    private byte[] DescribeParameters(SsmCall call)
    {
        var limit = call.Int("MaxResults", 1, MaxDescribeResults) ?? MaxDescribeResults;
        var legacy = call.Objects("Filters");
        var filters = ParameterFilter.Read(call.Objects("ParameterFilters"), DescribeFilterKeys, tags: true);
        if (legacy.Count > 0 && filters.Count > 0)
        {
            throw SsmException.Validation("You can use either Filters or ParameterFilters in a single request.");
        }

        // The older Filters (Name, Type, KeyId with Values) mean what ParameterFilters' Equals... or, for names, BeginsWith does.
        filters.AddRange(ParameterFilter.Read(legacy, ["Name", "Type", "KeyId"], tags: false).Select(f => f.Key == "Name" ? f with { Option = "BeginsWith" } : f));
        var token = call.String("NextToken");
        Authorize(call, "DescribeParameters", AccountResources());
        var matching = store.All().Where(p => filters.TrueForAll(f => f.Matches(p))).ToList();
        var (page, next) = Page(matching, token, limit);
        return PageJson("Parameters", page, next, (writer, version) =>
        {
            writer.WriteStartObject();
            writer.WriteString("Name", version.Name);
            writer.WriteString("ARN", ParameterArn(version.Name));
            WriteMetadata(writer, version);
            writer.WriteEndObject();
        });
    }

    private byte[] GetParameterHistory(SsmCall call)
    {
        var name = call.ParameterName();
        var decrypt = call.Bool("WithDecryption");
        var limit = call.Int("MaxResults", 1, MaxDescribeResults) ?? MaxDescribeResults;
        var token = call.String("NextToken");
        Authorize(call, "GetParameterHistory", ParameterArn(name));
        var history = store.History(name);
        if (history.Count == 0)
        {
            throw SsmException.NotFound();
        }

        var start = token is null ? 0 : history.FindIndex(v => Token(Number(v.Version)) == token);
        if (start < 0)
        {
            throw SsmException.InvalidToken();
        }

        var page = history.Skip(start).Take(limit).ToList();
        var next = start + limit < history.Count ? Token(Number(history[start + limit].Version)) : null;
        return PageJson("Parameters", page, next, (writer, version) =>
        {
            writer.WriteStartObject();
            writer.WriteString("Name", version.Name);
            writer.WriteString("Value", ValueOf(version, decrypt));
            WriteStrings(writer, "Labels", version.Labels);
            WriteMetadata(writer, version);
            writer.WriteEndObject();
        });
    }

    /// <summary>What DescribeParameters and GetParameterHistory say of a version besides its name and value.</summary>
    private static void WriteMetadata(Utf8JsonWriter writer, ParameterVersion version)
    {
        writer.WriteString("Type", version.Type);
        if (version.DescribedKeyId is { } key)
        {
            writer.WriteString("KeyId", key);
        }

        writer.WriteNumber("LastModifiedDate", Seconds(version.LastModified));
        writer.WriteString("LastModifiedUser", version.LastModifiedUser);
        if (version.Description is not null)
        {
            writer.WriteString("Description", version.Description);
        }

        if (version.AllowedPattern is not null)
        {
            writer.WriteString("AllowedPattern", version.AllowedPattern);
        }

        writer.WriteNumber("Version", version.Version);
        writer.WriteString("Tier", version.Tier);
        writer.WriteStartArray("Policies");
        writer.WriteEndArray();
        writer.WriteString("DataType", version.DataType);
    }
}
