using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cloister.Tables.Bench;
using Cloister.Tables.Hosting;
using Microsoft.Data.Sqlite;

// End-to-end load: PutItem and GetItem through the AWS SDK for .NET against the service on loopback,
// and in the same run a baseline of raw SQLite inserts and reads with the same durability
// (WAL, synchronous=FULL, one transaction per insert). Usage: [--seconds N] [--clients N]
var seconds = ArgValue("--seconds", 10);
var clients = ArgValue("--clients", 16);
var duration = TimeSpan.FromSeconds(seconds);
var root = Path.Combine(Path.GetTempPath(), "cloister-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
var results = new List<LoadResult>();
var commitShare = 0.0;
try
{
    await using (var server = await TablesServer.StartAsync(new TablesServerOptions
    {
        DataDirectory = Path.Combine(root, "service"),
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
    }))
    {
        var sdk = Enumerable.Range(0, clients).Select(_ => new AmazonDynamoDBClient(
            new BasicAWSCredentials("AKIDBENCH", "secret"),
            new AmazonDynamoDBConfig { ServiceURL = server.Urls[0].ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })).ToArray();
        await sdk[0].CreateTableAsync(new CreateTableRequest
        {
            TableName = "bench",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        });
        var payload = new string('x', 100);
        await LoadDriver.RunAsync("warm-up", clients, TimeSpan.FromSeconds(2), (worker, n) =>
            sdk[worker].PutItemAsync("bench", Item($"warm-{worker}-{n}", payload)));
        var put = await LoadDriver.RunAsync("PutItem via .NET SDK (durable, group commit)", clients, duration, (worker, n) =>
            sdk[worker].PutItemAsync("bench", Item($"k-{worker}-{n}", payload)));
        results.Add(put);
        var journal = server.Store.Journal;
        commitShare = journal.BatchesCommitted / (double)Math.Max(1, journal.Commits);
        var written = put.Operations / clients;
        results.Add(await LoadDriver.RunAsync("GetItem via .NET SDK", clients, duration, (worker, n) =>
            sdk[worker].GetItemAsync("bench", new() { ["PK"] = new AttributeValue { S = $"k-{worker}-{n % Math.Max(1, written)}" } })));
        // The same GetItem as bare HTTP requests (no SDK): how much of the cost is the client's.
        var http = Enumerable.Range(0, clients).Select(_ => new HttpClient { BaseAddress = server.Urls[0] }).ToArray();
        results.Add(await LoadDriver.RunAsync("GetItem via bare HttpClient (no SDK)", clients, duration, async (worker, n) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new StringContent($"{{\"TableName\":\"bench\",\"Key\":{{\"PK\":{{\"S\":\"k-{worker}-{n % Math.Max(1, written)}\"}}}}}}"),
            };
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.GetItem");
            using var response = await http[worker].SendAsync(request);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }));
        foreach (var client in http)
        {
            client.Dispose();
        }

        foreach (var client in sdk)
        {
            client.Dispose();
        }
    }

    var path = Path.Combine(root, "baseline.db");
    using (var setup = Open(path))
    {
        Execute(setup, "CREATE TABLE items(pk TEXT PRIMARY KEY, item BLOB NOT NULL) WITHOUT ROWID");
    }

    var connections = Enumerable.Range(0, clients).Select(_ => Open(path)).ToArray();
    var blob = new byte[160];
    results.Add(await LoadDriver.RunAsync("baseline: raw SQLite INSERT, one transaction each (WAL, synchronous=FULL)", clients, duration, (worker, n) =>
    {
        using var command = connections[worker].CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO items(pk, item) VALUES($k, $v)";
        command.Parameters.AddWithValue("$k", $"k-{worker}-{n}");
        command.Parameters.AddWithValue("$v", blob);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }));
    var inserted = results[^1].Operations / clients;
    results.Add(await LoadDriver.RunAsync("baseline: raw SQLite SELECT by key", clients, duration, (worker, n) =>
    {
        using var command = connections[worker].CreateCommand();
        command.CommandText = "SELECT item FROM items WHERE pk = $k";
        command.Parameters.AddWithValue("$k", $"k-{worker}-{n % Math.Max(1, inserted)}");
        command.ExecuteScalar();
        return Task.CompletedTask;
    }));
    foreach (var connection in connections)
    {
        connection.Dispose();
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients} concurrent clients, {seconds} s per phase, {Environment.ProcessorCount} cores"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"group commit: {commitShare:F1} writes per SQLite transaction (fsync) on average"));
Console.WriteLine("| phase | ops/s | p50 ms | p99 ms | operations | errors |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var result in results)
{
    Console.WriteLine(result.ToRow());
}

static Dictionary<string, AttributeValue> Item(string key, string payload) => new()
{
    ["PK"] = new AttributeValue { S = key },
    ["payload"] = new AttributeValue { S = payload },
    ["n"] = new AttributeValue { N = "42" },
};

static SqliteConnection Open(string path)
{
    var connection = new SqliteConnection($"Data Source={path};Pooling=false;Default Timeout=30");
    connection.Open();
    Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
    return connection;
}

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
