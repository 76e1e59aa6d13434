using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cloister.Functions.Ssm;

/// <summary>
/// PutParameter, DeleteParameter and DeleteParameters. An overwrite keeps what it does not restate (type, description,
/// allowed pattern, tier, data type) from the latest version, as AWS does.
/// </summary>
internal sealed partial class SsmHandler
{
    /// <summary>A Standard parameter's value is at most 4 KB, an Advanced one's 8 KB.</summary>
    private const int StandardValueBytes = 4096;

    private const int AdvancedValueBytes = 8192;

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    private byte[] PutParameter(SsmCall call)
    {
        var name = call.ParameterName();
        var value = call.String("Value") ?? throw SsmException.Validation("1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null");
        var type = call.String("Type");
        var tier = call.String("Tier");
        var description = call.String("Description");
        var pattern = call.String("AllowedPattern");
        var dataType = call.String("DataType");
        var keyId = call.String("KeyId");
        var overwrite = call.Bool("Overwrite");
        if (overwrite && call.Objects("Tags").Count > 0)
        {
            throw SsmException.Validation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }

        if (type is not (null or "String" or "StringList" or "SecureString"))
        {
            throw SsmException.Validation($"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        }

        if (tier is not (null or "Standard" or "Advanced" or "Intelligent-Tiering"))
        {
            throw SsmException.Validation($"1 validation error detected: Value '{tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]");
        }

        if (value.Length == 0)
        {
            throw SsmException.Validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        if (description?.Length > 1024)
        {
            throw SsmException.Validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024");
        }

        if (pattern?.Length > 1024)
        {
            throw SsmException.Validation("1 validation error detected: Value at 'allowedPattern' failed to satisfy constraint: Member must have length less than or equal to 1024");
        }

        if (keyId?.Length is 0 or > 256)
        {
            throw SsmException.Validation(string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value '{keyId}' at 'keyId' failed to satisfy constraint: Member must have length {(keyId.Length == 0 ? "greater than or equal to 1" : "less than or equal to 256")}"));
        }

        if (dataType is not (null or "text" or "aws:ec2:image"))
        {
            throw SsmException.Validation($"The following data type is not supported: {dataType} (Data type names are all lowercase.)");
        }

        ParameterNames.CheckForWrite(name);
        Authorize(call, "PutParameter", ParameterArn(name), RequestTags(call));
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > AdvancedValueBytes)
        {
            throw SsmException.Validation(string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to {AdvancedValueBytes}"));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var written = store.Put(name, overwrite, latest =>
        {
            var finalType = type ?? latest?.Type ?? throw SsmException.Validation("A parameter type is required when you create a parameter.");
            var finalPattern = pattern ?? latest?.AllowedPattern;
            var finalDataType = dataType ?? latest?.DataType ?? "text";
            var finalTier = tier switch
            {
                "Intelligent-Tiering" => bytes > StandardValueBytes || latest?.Tier == "Advanced" ? "Advanced" : "Standard",
                null => latest?.Tier ?? "Standard",
                _ => tier,
            };
            if (latest?.Tier == "Advanced" && finalTier == "Standard")
            {
                throw SsmException.Validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.");
            }

            if (finalTier == "Standard" && bytes > StandardValueBytes)
            {
                throw SsmException.Validation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html");
            }

            CheckPattern(finalPattern, value);
            if (finalDataType == "aws:ec2:image" && (finalType != "String" || !AmiId().IsMatch(value)))
            {
                throw SsmException.Validation(finalType != "String"
                    ? "The data type aws:ec2:image is only supported for String parameters."
                    : $"Parameter value, {value}, is not a valid AMI ID.");
            }

            // A SecureString keeps the key it was given (an overwrite that names none keeps the latest's); other types have none.
            var finalKeyId = finalType != "SecureString" ? null
                : keyId is not null ? (keyId == ParameterFilter.DefaultKeyId ? null : keyId)
                : latest?.Type == "SecureString" ? latest.KeyId : null;
            return new ParameterVersion(name, finalType, value, 0, description ?? latest?.Description, finalPattern, finalTier, finalDataType, now, UserOf(call), null) { KeyId = finalKeyId };
        });
        return Json(writer =>
        {
            writer.WriteNumber("Version", written.Version);
            writer.WriteString("Tier", written.Tier);
        });
    }

    private byte[] DeleteParameter(SsmCall call)
    {
        var name = call.ParameterName();
        Authorize(call, "DeleteParameter", ParameterArn(name));
        return store.Delete(name) ? Json(_ => { }) : throw SsmException.NotFound();
    }

    private byte[] DeleteParameters(SsmCall call)
    {
        var names = call.Strings("Names", 10) ?? throw SsmException.Validation("1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null");
        foreach (var name in names)
        {
            Authorize(call, "DeleteParameters", ParameterArn(name));
        }

        var deleted = new List<string>();
        var invalid = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            (store.Delete(name) ? deleted : invalid).Add(name);
        }

        return Json(writer =>
        {
            WriteStrings(writer, "DeletedParameters", deleted);
            WriteStrings(writer, "InvalidParameters", invalid);
        });
    }

    /// <summary>Refuses <paramref name="value"/> when it does not match <paramref name="pattern"/> (a .NET regular expression, as close to Java's as the patterns people write need).</summary>
    private static void CheckPattern(string? pattern, string value)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return;
        }

        bool matches;
        try
        {
            matches = Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException)
        {
            throw new SsmException("InvalidAllowedPatternException", "The request does not meet the regular expression requirement.");
        }
        catch (RegexMatchTimeoutException)
        {
            throw new SsmException("InvalidAllowedPatternException", "The request does not meet the regular expression requirement.");
        }

        if (!matches)
        {
            throw new SsmException("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {pattern}");
        }
    }

    /// <summary>PutParameter's <c>Tags</c> (<c>[{"Key","Value"}]</c>), which the sandbox does not keep but its policies' conditions see.</summary>
    private static List<(string Key, string Value)> RequestTags(SsmCall call) =>
        [.. call.Objects("Tags").Select((tag, index) => (Member(tag, index, "key"), Member(tag, index, "value")))];

    private static string Member(System.Text.Json.JsonElement tag, int index, string member) =>
        tag.TryGetProperty(char.ToUpperInvariant(member[0]) + member[1..], out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()!
            : throw SsmException.Validation(string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value null at 'tags.{index + 1}.member.{member}' failed to satisfy constraint: Member must not be null"));

    private static void WriteStrings(System.Text.Json.Utf8JsonWriter writer, string name, IEnumerable<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    [GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex AmiId();
}
