using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Model;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Operations;

/// <summary>
/// CreateTable's and UpdateTable's TableClass, SSESpecification and StreamSpecification, with DynamoDB's messages. Streams
/// are not run, so a stream is refused rather than described (docs/tables.md, "Choices").
/// </summary>
internal static class TableSettingsReader
{
    public const string Standard = "STANDARD";
    public const string InfrequentAccess = "STANDARD_INFREQUENT_ACCESS";

    /// <summary>The refusal of StreamEnabled true: Cloister has no stream to give the table.</summary>
    public const string StreamsNotRun =
        "Cloister does not run DynamoDB Streams: a table cannot have StreamEnabled true (no stream records would ever be written or read)";

    public static string? ReadTableClass(JsonElement request)
    {
        var value = RequestReader.GetString(request, "TableClass");
        return value is null or Standard or InfrequentAccess
            ? value
            : throw DynamoDbException.Validation($"Invalid table-class parameter provided. Please try again with a valid table-class value: [{Standard}, {InfrequentAccess}].");
    }

    /// <summary>
    /// SSESpecification, when given: the KMS key ARN of <c>Enabled: true</c> (the key named by KMSMasterKeyId, else the account's
    /// AWS managed key for DynamoDB), or null for <c>Enabled</c> false or absent (the AWS owned key).
    /// </summary>
    public static bool TryReadSse(JsonElement request, AccountContext account, out string? keyArn, string member = "SSESpecification")
    {
        keyArn = null;
        if (RequestReader.GetObject(request, member) is not { } specification)
        {
            return false;
        }

        var enabled = RequestReader.GetBool(specification, "Enabled") ?? false;
        var type = RequestReader.GetEnum(specification, "SSEType", "s" + member[1..] + ".sSEType", "AES256", "KMS");
        var key = RequestReader.GetString(specification, "KMSMasterKeyId");
        if (!enabled)
        {
            return type is not null ? throw Invalid("SSEType can not be specified if Enabled is false")
                : key is not null ? throw Invalid("KMSMasterKeyId can not be specified if Enabled is false")
                : true;
        }

        if (type == "AES256")
        {
            throw Invalid("SSEType AES256 is not supported");
        }

        keyArn = key is null || key == "alias/aws/dynamodb" ? ManagedKeyArn(account) : KeyArn(account, key);
        return true;
    }

    /// <summary>CreateTable's StreamSpecification: StreamEnabled false is accepted (and changes nothing), true refused.</summary>
    public static void CheckStreamOnCreate(JsonElement request)
    {
        if (ReadStream(request) is { } enabled)
        {
            if (enabled.ViewType is not null && !enabled.Enabled)
            {
                throw Invalid("Table is being created with a stream disabled, UpdateViewType should not be specified");
            }

            if (enabled.Enabled)
            {
                throw DynamoDbException.Validation(StreamsNotRun);
            }
        }
    }

    /// <summary>UpdateTable's StreamSpecification, on a table that (having no stream) has none to disable.</summary>
    public static bool CheckStreamOnUpdate(JsonElement request, string table)
    {
        if (ReadStream(request) is not { } stream)
        {
            return false;
        }

        if (stream.Enabled)
        {
            throw DynamoDbException.Validation(StreamsNotRun);
        }

        throw stream.ViewType is not null
            ? Invalid("If stream is being disabled, then UpdateViewType must not be specified")
            : DynamoDbException.Validation("Table has no stream to disable: TableName: " + table);
    }

    private static (bool Enabled, string? ViewType)? ReadStream(JsonElement request)
    {
        if (RequestReader.GetObject(request, "StreamSpecification") is not { } specification)
        {
            return null;
        }

        var enabled = RequestReader.GetBool(specification, "StreamEnabled")
            ?? throw DynamoDbException.MemberNull("streamSpecification.streamEnabled");
        var viewType = RequestReader.GetEnum(specification, "StreamViewType", "streamSpecification.streamViewType", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");
        return (enabled, viewType);
    }

    /// <summary>
    /// The ARN of the account's AWS managed key for DynamoDB (<c>alias/aws/dynamodb</c>). There is no KMS here to create it, so
    /// its id is derived from the account and region: the same key for every table, as on AWS, and across restarts.
    /// </summary>
    public static string ManagedKeyArn(AccountContext account)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{account.Partition}:{account.Region}:{account.AccountId}:alias/aws/dynamodb"));
        return KeyArn(account, new Guid(hash.AsSpan(0, 16)).ToString());
    }

    /// <summary>A KMSMasterKeyId as the ARN DynamoDB reports: an ARN as given, a key id or alias in the account and region.</summary>
    private static string KeyArn(AccountContext account, string key) =>
        key.StartsWith("arn:", StringComparison.Ordinal)
            ? key
            : $"arn:{account.Partition}:kms:{account.Region}:{account.AccountId}:{(key.StartsWith("alias/", StringComparison.Ordinal) ? key : "key/" + key)}";

    private static DynamoDbException Invalid(string detail) => DynamoDbException.Validation("One or more parameter values were invalid: " + detail);
}
