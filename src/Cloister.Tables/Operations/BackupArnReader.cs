using Cloister.Model;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Operations;

/// <summary>
/// How the backup operations read the ARNs they are given, as DynamoDB reads them: a BackupArn
/// (<c>arn:{partition}:dynamodb:{region}:{account}:table/{table}/backup/{id}</c>) and the table ARN CreateBackup, ListBackups
/// and RestoreTableToPointInTime take. Another account's resource is refused, never looked up; another region's names nothing
/// here (DescribeBackup and DeleteBackup read a BackupArn's region as the service's own, as DynamoDB does).
/// </summary>
internal static class BackupArnReader
{
    /// <summary>DynamoDB's answer to a table ARN of another account where the operation acts only on the caller's own.</summary>
    public const string OtherAccount = "This action is only supported by accounts that match the resource owner's account";

    /// <summary>
    /// The ARN <paramref name="given"/> would have in the service's own region (the key a backup is held under), and whether it
    /// named another region. Refuses what DynamoDB refuses: no backup ARN at all ("Invalid Backup ARN"), another partition or
    /// service or a region that is no region's name ("BackupArn is not valid"), another account (AccessDeniedException).
    /// </summary>
    public static (string Local, bool OtherRegion) ReadBackupArn(string given, AccountContext account)
    {
        var parts = given.Split(':', 6);
        var resource = parts.Length == 6 ? parts[5].Split('/') : [];
        if (parts[0] != "arn" || resource is not ["table", { Length: > 0 }, "backup", { Length: > 0 }])
        {
            throw DynamoDbException.Validation("Invalid Backup ARN");
        }

        var (partition, service, region, owner) = (parts[1], parts[2], parts[3], parts[4]);
        if (partition != account.Partition || service != "dynamodb" || (region.Length > 0 && !IsRegionName(region)))
        {
            throw DynamoDbException.Validation("BackupArn is not valid");
        }

        if (region.Length == 0 || owner != account.AccountId)
        {
            throw new DynamoDbException(ErrorCodes.AccessDenied, "Access is denied");
        }

        return region == account.Region ? (given, false) : ($"arn:{partition}:dynamodb:{account.Region}:{owner}:{parts[5]}", true);
    }

    /// <summary>
    /// The table a backup operation's TableName names: a name as it is; an ARN of a table of the service's account and region,
    /// that table; another account's table ARN is refused with <see cref="OtherAccount"/>; any other ARN (another region's
    /// table, not a table ARN) null, a table not here.
    /// </summary>
    public static string? ReadTableName(string given, AccountContext account, string member)
    {
        if (given.StartsWith("arn:", StringComparison.Ordinal) &&
            given.Split(':', 6) is [_, var partition, "dynamodb", _, var owner, var resource] &&
            partition == account.Partition && resource.StartsWith("table/", StringComparison.Ordinal) && owner != account.AccountId)
        {
            throw DynamoDbException.Validation(OtherAccount);
        }

        return RequestReader.ResolveTableNameOrNone(given, account, member);
    }

    /// <summary>A region's name as AWS spells them (<c>us-east-1</c>, <c>ap-southeast-2</c>, <c>us-gov-west-1</c>): letters in dashed words, then a number.</summary>
    private static bool IsRegionName(string region)
    {
        var words = region.Split('-');
        return words.Length >= 3 && words[..^1].All(word => word.Length > 0 && word.All(char.IsAsciiLetterLower)) &&
            words[^1].Length is 1 or 2 && words[^1].All(char.IsAsciiDigit);
    }
}
