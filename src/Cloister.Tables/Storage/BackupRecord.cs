using System.Text.Json.Serialization;

namespace Cloister.Tables.Storage;

/// <summary>
/// An on-demand backup: its ARN and name, the source table's definition as it was (keys, indexes, throughput, billing,
/// encryption), and the size and item count the table had. The items themselves are a copy in the journal's database
/// (<c>backup_items</c>), read only by a restore. Stored whole as JSON in the journal's <c>backups</c> table. <c>Type</c> is
/// USER for CreateBackup's, SYSTEM for the one DeleteTable keeps of a table with point-in-time recovery, which expires at
/// <c>ExpiryDateTime</c> (35 days on).
/// </summary>
internal sealed record BackupRecord(
    string Arn, string Name, TableDefinition Table, DateTimeOffset CreationDateTime, long SizeBytes, long ItemCount, string Type = BackupRecord.UserType, DateTimeOffset? ExpiryDateTime = null)
{
    public const string UserType = "USER";

    public const string SystemType = "SYSTEM";

    /// <summary>How long DynamoDB keeps the SYSTEM backup of a table deleted with point-in-time recovery enabled.</summary>
    public static readonly TimeSpan SystemRetention = TimeSpan.FromDays(35);

    /// <summary>The journal position of the CreateBackup (0 when read back at start): its rows are readable once it is durable.</summary>
    [JsonIgnore]
    public long Lsn { get; init; }

    /// <summary>Whether the backup has expired at <paramref name="now"/> (a SYSTEM backup 35 days on); an expired backup is gone.</summary>
    public bool ExpiredAt(DateTimeOffset now) => ExpiryDateTime <= now;

    /// <summary>
    /// The order ListBackups walks in: the creation time in milliseconds the ARN carries, then the ARN. Taken from the ARN
    /// alone, so an ExclusiveStartBackupArn of a backup deleted since still says where the next page starts.
    /// </summary>
    public static (long Millis, string Arn) Position(string arn)
    {
        var slash = arn.LastIndexOf('/');
        var dash = slash < 0 ? -1 : arn.IndexOf('-', slash);
        var millis = dash > slash + 1 && long.TryParse(arn.AsSpan(slash + 1, dash - slash - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : -1;
        return (millis, arn);
    }
}
