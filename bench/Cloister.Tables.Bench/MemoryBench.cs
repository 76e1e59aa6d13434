using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Data.Sqlite;

namespace Cloister.Tables.Bench;

/// <summary>
/// What the service holds per stored item: claim-shaped items (as the claims API writes them) put through the SDK into
/// the service in a process of its own, then that process's managed heap after a full compacting collection, and the
/// garbage collector's pauses while the items arrived. The baseline is the item's own bytes as the SQLite file keeps them.
/// </summary>
internal static class MemoryBench
{
    public static async Task<IReadOnlyList<string>> RunAsync(string directory, int clients, int items)
    {
        await using var service = await ServiceProcess.StartAsync(directory, payload: string.Empty);
        var sdk = Enumerable.Range(0, clients).Select(_ => new AmazonDynamoDBClient(
            new BasicAWSCredentials("AKIDBENCH", "secret"),
            new AmazonDynamoDBConfig { ServiceURL = service.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })).ToArray();
        await sdk[0].CreateTableAsync(new CreateTableRequest
        {
            TableName = "claims",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S), new AttributeDefinition("SK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH), new KeySchemaElement("SK", KeyType.RANGE)],
        });
        var before = await service.HeapAsync();
        var started = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            for (var n = worker; n < items; n += clients)
            {
                await sdk[worker].PutItemAsync("claims", Claim(n));
            }
        }));
        var elapsed = DateTime.UtcNow - started;
        var after = await service.HeapAsync();
        foreach (var client in sdk)
        {
            client.Dispose();
        }

        var stored = StoredBytesPerItem(Path.Combine(directory, Cloister.Tables.Storage.TableStore.FileName));
        var perThousand = items / 1000.0;
        return
        [
            string.Create(CultureInfo.InvariantCulture,
                $"| {items:N0} claim-shaped items ({items / elapsed.TotalSeconds:N0} puts/s, {clients} SDK clients) | {(after.HeapBytes - before.HeapBytes) / (double)items:N0} | {stored:N0} | " +
                $"{(after.Pause - before.Pause).TotalMilliseconds / perThousand:F2} | {(after.Gen0 - before.Gen0) / perThousand:F2} | {(after.Gen1 - before.Gen1) / perThousand:F2} | {after.Gen2 - before.Gen2} | {after.LastEphemeralPause.TotalMilliseconds:F1} |"),
        ];
    }

    /// <summary>The average length of an item as the journal's SQLite file stores it (its DynamoDB JSON).</summary>
    private static double StoredBytesPerItem(string path)
    {
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT avg(length(item)) FROM items";
        return command.ExecuteScalar() is double average ? average : double.NaN;
    }

    private static Dictionary<string, AttributeValue> Claim(int n)
    {
        var member = "m-" + (n % 1000).ToString("D4", CultureInfo.InvariantCulture);
        var claim = Guid.NewGuid().ToString();
        var now = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return new()
        {
            ["PK"] = new AttributeValue { S = "MEMBER#" + member },
            ["SK"] = new AttributeValue { S = "CLAIM#" + claim },
            ["claimId"] = new AttributeValue { S = claim },
            ["memberId"] = new AttributeValue { S = member },
            ["policyId"] = new AttributeValue { S = "p-" + (n % 97).ToString(CultureInfo.InvariantCulture) },
            ["memberName"] = new AttributeValue { S = "Member " + member },
            ["createdAt"] = new AttributeValue { S = now },
            ["updatedAt"] = new AttributeValue { S = now },
            ["version"] = new AttributeValue { N = "1" },
            ["amount"] = new AttributeValue { N = "120.50" },
            ["description"] = new AttributeValue { S = "Physiotherapy, 3 sessions" },
        };
    }
}
