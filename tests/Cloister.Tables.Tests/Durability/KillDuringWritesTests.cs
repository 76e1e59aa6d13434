using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cloister.Tables.Tests.Durability;

/// <summary>Nothing acknowledged is lost: SIGKILL the real service during 16 concurrent writers, restart, find every acknowledged item.</summary>
public sealed class KillDuringWritesTests : IDisposable
{
    private const int Writers = 16;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloister-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Serve_KilledDuringConcurrentWrites_EveryAcknowledgedItemSurvives()
    {
        var acknowledged = new ConcurrentDictionary<string, string>();
        var order = new ConcurrentDictionary<string, (int Index, double Ms)>();
        var sequence = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double killedAt = 0;
        using (var server = await ServeProcess.StartAsync(_data))
        {
            using var setup = TablesServerFixture.CreateClient(server.Url);
            await setup.CreateTableAsync(new CreateTableRequest
            {
                TableName = "durable",
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
            });

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                using var client = TablesServerFixture.CreateClient(server.Url);
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var key = $"w{writer}-{n}";
                    var value = Guid.NewGuid().ToString();
                    try
                    {
                        await client.PutItemAsync("durable", new() { ["PK"] = new AttributeValue { S = key }, ["v"] = new AttributeValue { S = value } });
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        // The kill cut this request off: it was never acknowledged.
                        return;
                    }

                    acknowledged[key] = value;
                    order[key] = (Interlocked.Increment(ref sequence), clock.Elapsed.TotalMilliseconds);
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < 1500 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            // Cancel first: a request failing because of the kill must count as unacknowledged, not as an error.
            await stop.CancelAsync();
            killedAt = clock.Elapsed.TotalMilliseconds;
            server.Kill();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} writes were acknowledged before the kill");
        using var restarted = await ServeProcess.StartAsync(_data);
        using var reader = TablesServerFixture.CreateClient(restarted.Url);
        var stored = new Dictionary<string, string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await reader.ScanAsync(new ScanRequest { TableName = "durable", ExclusiveStartKey = start });
            foreach (var item in page.Items)
            {
                stored[item["PK"].S] = item["v"].S;
            }

            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        }
        while (start is not null);

        var missing = acknowledged.Where(pair => !stored.TryGetValue(pair.Key, out var value) || value != pair.Value).Select(pair => pair.Key).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged items lost, e.g. {string.Join(", ", missing.Take(5).Select(key => $"{key} (ack #{order[key].Index} at {order[key].Ms:F0} ms, kill at {killedAt:F0} ms)"))}; rows in the SQLite file: {CountRows(missing)}");
    }

    private int CountRows(List<string> keys)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, "tables.db")};Pooling=false");
        connection.Open();
        var found = 0;
        foreach (var key in keys)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM items WHERE pk = $k";
            command.Parameters.AddWithValue("$k", System.Text.Encoding.UTF8.GetBytes(key));
            found += Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return found;
    }
}
