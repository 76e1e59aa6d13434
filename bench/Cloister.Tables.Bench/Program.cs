using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cloister.Tables.Bench;
using Cloister.Tables.Hosting;

// End-to-end load: PutItem and GetItem through the AWS SDK for .NET against the service on loopback,
// and in the same run a baseline of raw SQLite inserts and reads with the same durability
// (WAL, synchronous=FULL, one transaction per insert). Two more views separate the client's cost from
// the service's: the SDK against a canned Kestrel endpoint (client and bare HTTP only), and wrk
// sending the same requests (the service's capacity with a light client). `split` runs the service
// and three canned endpoints (Kestrel HTTP, a Kestrel connection handler, raw sockets) each in a
// process of its own and reads that process's CPU and allocations per SDK GetItem.
// `journal` (not run unless named) drives the journal alone with random UUID keys, as claim creation does.
// `memory` (not run unless named) puts claim-shaped items into the service in its own process and reads its heap per item.
// Usage: [--seconds N] [--clients N] [--phases put,get,http,canned,wrk,split,pieces,sqlite,journal,memory]
//        [--prefill N] [--journal-writers N]   (journal: items written before measuring, 200,000; writers, 8)
//        [--items N]   (memory: items put, 100,000)
if (args is ["--serve", var serveDirectory])
{
    await ServiceProcess.ServeAsync(serveDirectory);
    return;
}

if (args is ["--serve-canned", var cannedPayload, var cannedKind])
{
    await ServiceProcess.ServeCannedAsync(cannedPayload, cannedKind);
    return;
}

var seconds = ArgValue("--seconds", 10);
var clients = ArgValue("--clients", 16);
var warmUp = TimeSpan.FromSeconds(ArgValue("--warm-up", 2));
var phases = (Array.IndexOf(args, "--phases") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : "put,get,http,canned,wrk,split,pieces,sqlite")
    .Split(',').ToHashSet(StringComparer.Ordinal);
var duration = TimeSpan.FromSeconds(seconds);
var root = Path.Combine(Path.GetTempPath(), "cloister-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
var results = new List<LoadResult>();
var commitShare = 0.0;
var commitMilliseconds = 0.0;
IReadOnlyList<string> pieces = [];
IReadOnlyList<string> split = [];
IReadOnlyList<string> journalRows = [];
IReadOnlyList<string> memoryRows = [];
var payload = new string('x', 100);
try
{
    await using (var server = await TablesServer.StartAsync(new TablesServerOptions
    {
        DataDirectory = Path.Combine(root, "service"),
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Access = BenchAccess.Create(Environment.GetEnvironmentVariable("CLOISTER_BENCH_ACCESS")),
    }))
    {
        var sdk = Clients(server.Urls[0]);
        await sdk[0].CreateTableAsync(new CreateTableRequest
        {
            TableName = "bench",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
        });
        await LoadDriver.WarmUpAsync(clients, warmUp, (worker, n) =>
            sdk[worker].PutItemAsync("bench", Item($"warm-{worker}-{n}", payload)));
        long written;
        if (phases.Contains("put"))
        {
            var put = await LoadDriver.RunAsync("PutItem via .NET SDK (durable, group commit)", clients, duration, (worker, n) =>
                sdk[worker].PutItemAsync("bench", Item($"k-{worker}-{n}", payload)));
            results.Add(put);
            var journal = server.Store.Journal;
            commitShare = journal.BatchesCommitted / (double)Math.Max(1, journal.Commits);
            commitMilliseconds = journal.CommitTime.TotalMilliseconds / Math.Max(1, journal.Commits);
            written = Math.Max(1, put.Operations / clients);
        }
        else
        {
            written = 200;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
            {
                for (var n = 0; n < written; n++)
                {
                    await sdk[worker].PutItemAsync("bench", Item($"k-{worker}-{n}", payload));
                }
            }));
        }

        if (phases.Contains("get"))
        {
            // Warmed up like PutItem, so the measured phase runs the SDK's and the service's GetItem code fully jitted.
            Func<int, long, Task> get = (worker, n) =>
                sdk[worker].GetItemAsync("bench", new() { ["PK"] = new AttributeValue { S = $"k-{worker}-{n % written}" } });
            await LoadDriver.WarmUpAsync(clients, warmUp, get);
            results.Add(await LoadDriver.RunAsync("GetItem via .NET SDK", clients, duration, get));
        }

        if (phases.Contains("http"))
        {
            // The same GetItem as bare HTTP requests (no SDK): how much of the cost is the client's.
            var http = Enumerable.Range(0, clients).Select(_ => new HttpClient { BaseAddress = server.Urls[0] }).ToArray();
            Func<int, long, Task> bare = async (worker, n) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/")
                {
                    Content = new StringContent($"{{\"TableName\":\"bench\",\"Key\":{{\"PK\":{{\"S\":\"k-{worker}-{n % written}\"}}}}}}"),
                };
                request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.GetItem");
                using var response = await http[worker].SendAsync(request);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            };
            await LoadDriver.WarmUpAsync(clients, warmUp, bare);
            results.Add(await LoadDriver.RunAsync("GetItem via bare HttpClient (no SDK)", clients, duration, bare));
            foreach (var client in http)
            {
                client.Dispose();
            }
        }

        if ((phases.Contains("wrk") || phases.Contains("wrkget")) && WrkDriver.Available)
        {
            results.Add(await WrkDriver.GetItemAsync(server.Urls[0], clients, duration, clients, written));
        }

        if ((phases.Contains("wrk") || phases.Contains("wrkput")) && WrkDriver.Available)
        {
            var commits = server.Store.Journal.Commits;
            var batches = server.Store.Journal.BatchesCommitted;
            results.Add(await WrkDriver.PutItemAsync(server.Urls[0], clients, duration, payload));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"group commit under wrk: {(server.Store.Journal.BatchesCommitted - batches) / (double)Math.Max(1, server.Store.Journal.Commits - commits):F1} writes per SQLite transaction"));
        }

        foreach (var client in sdk)
        {
            client.Dispose();
        }
    }

    if (phases.Contains("canned"))
    {
        await using var canned = await CannedEndpoint.StartAsync(payload);
        var sdk = Clients(canned.Url);
        Func<int, long, Task> get = (worker, n) => sdk[worker].GetItemAsync("bench", new() { ["PK"] = new AttributeValue { S = $"k-{worker}-{n}" } });
        await LoadDriver.WarmUpAsync(clients, warmUp, get);
        results.Add(await LoadDriver.RunAsync("GetItem via .NET SDK against a canned Kestrel response (client + bare HTTP only)", clients, duration, get));
        foreach (var client in sdk)
        {
            client.Dispose();
        }
    }

    if (phases.Contains("split"))
    {
        split =
        [
            await SplitGetItemAsync(Path.Combine(root, "split")),
            await SplitGetItemAsync(null),
            await SplitGetItemAsync(null, "handler"),
            await SplitGetItemAsync(null, "socket"),
        ];
    }

    if (phases.Contains("pieces"))
    {
        pieces = await PieceTimings.RunAsync(Path.Combine(root, "pieces"), payload, 200_000);
    }

    if (phases.Contains("sqlite"))
    {
        results.AddRange(await SqliteBaseline.RunAsync(Path.Combine(root, "baseline.db"), clients, duration));
    }

    if (phases.Contains("journal"))
    {
        journalRows = await JournalBench.RunAsync(Path.Combine(root, "journal"), ArgValue("--prefill", 200_000), ArgValue("--journal-writers", 8), duration, rounds: 3);
    }

    if (phases.Contains("memory"))
    {
        memoryRows = await MemoryBench.RunAsync(Path.Combine(root, "memory"), clients, ArgValue("--items", 100_000));
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients} concurrent clients, {seconds} s per phase, {Environment.ProcessorCount} cores"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"group commit: {commitShare:F1} writes per SQLite transaction (fsync) on average, {commitMilliseconds:F2} ms per transaction (rows, commit, fsync)"));
Console.WriteLine("| phase | ops/s | p50 ms | p99 ms | CPU µs/op (this process) | JIT ms (this process) | operations | errors |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var result in results)
{
    Console.WriteLine(result.ToRow());
}

if (split.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| service in its own process | ops/s | p50 ms | p99 ms | service CPU µs/op | service bytes allocated/op | client CPU µs/op | errors |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var row in split)
    {
        Console.WriteLine(row);
    }
}

if (pieces.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| piece (one thread, no HTTP) | ns/op | bytes allocated/op |");
    Console.WriteLine("| --- | ---: | ---: |");
    foreach (var row in pieces)
    {
        Console.WriteLine(row);
    }
}

if (journalRows.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| journal alone (durable puts, claim-sized items) | puts/s | puts per transaction | journal threads CPU µs/put | process CPU µs/put |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var row in journalRows)
    {
        Console.WriteLine(row);
    }
}

if (memoryRows.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| service in its own process, items held | heap bytes/item | baseline: item bytes in SQLite | GC pause ms per 1,000 puts | gen-0 GCs per 1,000 puts | gen-1 GCs per 1,000 puts | gen-2 GCs | last gen-0/1 pause ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var row in memoryRows)
    {
        Console.WriteLine(row);
    }
}

// GetItem through the SDK with the service in a child process: the service's own CPU and allocations per request.
async Task<string> SplitGetItemAsync(string? directory, string canned = "kestrel")
{
    await using var service = await ServiceProcess.StartAsync(directory, payload, canned);
    var sdk = Clients(service.Url);
    const int Written = 200;
    if (directory is not null)
    {
        await SeedAsync(sdk, Written);
    }

    Func<int, long, Task> get = (worker, n) =>
        sdk[worker].GetItemAsync("bench", new() { ["PK"] = new AttributeValue { S = $"k-{worker}-{n % Written}" } });
    await LoadDriver.WarmUpAsync(clients, warmUp, get);
    var (cpu, allocated) = await service.StatsAsync();
    var name = (directory, canned) switch
    {
        (not null, _) => "GetItem via .NET SDK, the service",
        (null, "handler") => "GetItem via .NET SDK, canned response from a Kestrel connection handler (no Kestrel HTTP)",
        (null, "socket") => "GetItem via .NET SDK, canned response from raw sockets (no Kestrel)",
        _ => "GetItem via .NET SDK, canned Kestrel response (no DynamoDB work)",
    };
    var result = await LoadDriver.RunAsync(name, clients, duration, get);
    var (cpuAfter, allocatedAfter) = await service.StatsAsync();
    var operations = Math.Max(1, result.Operations);
    foreach (var client in sdk)
    {
        client.Dispose();
    }

    return string.Create(CultureInfo.InvariantCulture,
        $"| {result.Name} | {result.PerSecond:N0} | {result.P50Ms:F2} | {result.P99Ms:F2} | {(cpuAfter - cpu).TotalMicroseconds / operations:F1} | {(allocatedAfter - allocated) / operations:N0} | {result.CpuMicrosecondsPerOperation:F1} | {result.Errors} |");
}

async Task SeedAsync(AmazonDynamoDBClient[] sdk, int written)
{
    await sdk[0].CreateTableAsync(new CreateTableRequest
    {
        TableName = "bench",
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
    });
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
    {
        for (var n = 0; n < written; n++)
        {
            await sdk[worker].PutItemAsync("bench", Item($"k-{worker}-{n}", payload));
        }
    }));
}

AmazonDynamoDBClient[] Clients(Uri url) => Enumerable.Range(0, clients).Select(_ => new AmazonDynamoDBClient(
    new BasicAWSCredentials("AKIDBENCH", "secret"),
    new AmazonDynamoDBConfig { ServiceURL = url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })).ToArray();

static Dictionary<string, AttributeValue> Item(string key, string payload) => new()
{
    ["PK"] = new AttributeValue { S = key },
    ["payload"] = new AttributeValue { S = payload },
    ["n"] = new AttributeValue { N = "42" },
};

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
