using Cloister.Model;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// <see cref="BackupArnReader"/> on its own: the ARNs DynamoDB takes, and random and mutated ARNs, which are either read or
/// refused with one of DynamoDB's errors, never anything else.
/// </summary>
public sealed class BackupArnReaderTests
{
    private const string Backup = "arn:aws:dynamodb:us-east-1:000000000000:table/orders/backup/01700000000000-0123abcd";
    private static readonly AccountContext Account = AccountContext.Default;

    [Fact]
    public void ReadBackupArn_ThisRegionAndAnother_ThisRegionsSpelling()
    {
        var here = BackupArnReader.ReadBackupArn(Backup, Account);
        var elsewhere = BackupArnReader.ReadBackupArn(Backup.Replace("us-east-1", "ap-southeast-2", StringComparison.Ordinal), Account);

        Assert.Equal((Backup, false), here);
        Assert.Equal((Backup, true), elsewhere);
    }

    [Fact]
    public void ReadBackupArn_RandomAndMutatedArns_ReadOrRefusedWithDynamoDbsErrors()
    {
        var random = new Random(20261124);
        const string alphabet = "arn:/-aws-cndynamodbtablebackup0123456789 \0\u00e9:";
        var read = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var text = new System.Text.StringBuilder(Backup);
            for (var mutations = random.Next(1, 4); mutations > 0; mutations--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        text.Length = Math.Min(text.Length, at);
                        break;
                }
            }

            try
            {
                BackupArnReader.ReadBackupArn(text.ToString(), Account);
                BackupArnReader.ReadTableName(text.ToString(), Account, "tableName");
                read++;
            }
            catch (DynamoDbException exception)
            {
                Assert.Contains(exception.Type, new[] { ErrorCodes.Validation, ErrorCodes.AccessDenied });
            }
        }

        Assert.InRange(read, 1, 19_999);
    }
}
