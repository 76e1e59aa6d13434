using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Cloister.Model;
using Cloister.Shared.Hashing;
using Cloister.Tables.Expressions;
using Cloister.Tables.Hosting;
using Cloister.Tables.Hosting.Http;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Bench;

/// <summary>
/// The service's per-request pieces timed alone, one thread, no HTTP: what a GetItem or PutItem
/// costs inside Cloister.Tables, piece by piece, with the bytes each allocates.
/// </summary>
public static class PieceTimings
{
    private const int Keys = 1000;

    public static async Task<IReadOnlyList<string>> RunAsync(string directory, string payload, int iterations)
    {
        var rows = new List<string>();
        var putBodies = Enumerable.Range(0, Keys)
            .Select(i => Encoding.UTF8.GetBytes($"{{\"TableName\":\"bench\",\"Item\":{{\"PK\":{{\"S\":\"p-0-{i}\"}},\"payload\":{{\"S\":\"{payload}\"}},\"n\":{{\"N\":\"42\"}}}}}}"))
            .ToArray();
        var getBodies = Enumerable.Range(0, Keys)
            .Select(i => Encoding.UTF8.GetBytes($"{{\"TableName\":\"bench\",\"Key\":{{\"PK\":{{\"S\":\"k-0-{i}\"}}}}}}"))
            .ToArray();
        var options = new JsonDocumentOptions { MaxDepth = 96 };
        await using var store = TableStore.Open(directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        var service = new DynamoDbService(store, AccountContext.Default);
        using (var create = new PooledBufferWriter(1024))
        using (var document = JsonDocument.Parse("""{"TableName":"bench","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}"""))
        using (var writer = new Utf8JsonWriter(create))
        {
            await service.HandleAsync("CreateTable", document.RootElement, writer, new RequestInfo("bench"));
        }

        // The GetItem keys are written for real (journalled and durable); the put pieces use other keys,
        // applied in memory only, which a read would wait on forever.
        for (var i = 0; i < Keys; i++)
        {
            using var seed = JsonDocument.Parse($"{{\"TableName\":\"bench\",\"Item\":{{\"PK\":{{\"S\":\"k-0-{i}\"}},\"payload\":{{\"S\":\"{payload}\"}},\"n\":{{\"N\":\"42\"}}}}}}");
            using var ignored = new PooledBufferWriter(256);
            using var writer = new Utf8JsonWriter(ignored);
            await service.HandleAsync("PutItem", seed.RootElement, writer, new RequestInfo("bench"));
        }

        var putDocuments = putBodies.Select(body => JsonDocument.Parse(body)).ToArray();
        var items = putDocuments.Select(document => RequestReader.RequireItem(document.RootElement, "Item", "item")).ToArray();
        rows.Add(Time("parse a PutItem body (copy + JsonDocument)", iterations, i =>
        {
            using var body = RequestBody.Copy(new ReadOnlySequence<byte>(putBodies[i % Keys]));
            body.ParseDocument(options);
        }));
        rows.Add(Time("PutItem: read and validate the request (PrepareWrite)", iterations, i =>
            service.PrepareWrite(putDocuments[i % Keys].RootElement, WriteKind.Put, inTransaction: false)));
        var prepared = putDocuments.Select(document => service.PrepareWrite(document.RootElement, WriteKind.Put, inTransaction: false)).ToArray();
        rows.Add(Time("PutItem: evaluate and apply in memory (under the lock)", iterations, i =>
        {
            lock (store.Gate)
            {
                var result = WriteExecutor.Evaluate(store, prepared[i % Keys]);
                WriteExecutor.Apply(store, prepared[i % Keys], result);
            }
        }));
        var journalBuffer = new ArrayBufferWriter<byte>(1024);
        using var journalJson = new Utf8JsonWriter(journalBuffer);
        rows.Add(Time("PutItem: serialize the item for the journal", iterations, i =>
        {
            journalBuffer.ResetWrittenCount();
            journalJson.Reset();
            AttributeValueWriter.WriteItem(journalJson, items[i % Keys]);
            journalJson.Flush();
        }));
        rows.Add(Time("ConditionExpression attribute_not_exists(PK): parse and evaluate", iterations, i =>
            ExpressionParser.ParseCondition("attribute_not_exists(PK)", "ConditionExpression", ExpressionContext.Empty).Evaluate(items[i % Keys])));
        var getDocuments = getBodies.Select(body => JsonDocument.Parse(body)).ToArray();
        using var response = new PooledBufferWriter(1024);
        using var responseJson = new Utf8JsonWriter(response);
        rows.Add(Time("GetItem: the whole operation after parsing (look-up + response JSON)", iterations, i =>
        {
            response.Clear();
            responseJson.Reset();
            service.HandleAsync("GetItem", getDocuments[i % Keys].RootElement, responseJson, new RequestInfo("bench")).AsTask().GetAwaiter().GetResult();
            responseJson.Flush();
        }));
        var body = response.WrittenSpan.ToArray();
        rows.Add(Time($"CRC32 of the GetItem response ({body.Length} bytes)", iterations, _ => Crc32.Compute(body)));
        // The whole DynamoDB boundary of a GetItem (RequestHandler: target, body, answer, headers, CRC, write)
        // on a parsed request head and an in-memory pipe: Cloister's own per-request cost without sockets.
        // Parsing the head is timed too, as the connection does it for every request.
        var handler = new RequestHandler(service, AccountContext.Default, NullLogger.Instance, accessKeyIds: null, verifier: null);
        using var head = new HttpRequestHead();
        var headBytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Type: application/x-amz-json-1.0\r\n" +
            "X-Amz-Date: 20261122T120000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261122/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n" +
            "Content-Length: 60\r\n\r\n"));
        rows.Add(Time("HTTP/1.1 request head: parse (SDK-like, 6 headers)", iterations, _ => HttpHeadParser.Parse(headBytes, head)));
        var sink = PipeWriter.Create(Stream.Null);
        rows.Add(Time("GetItem: the whole request handler (parsed head, in-memory pipe, no sockets)", iterations, i =>
        {
            using var body = RequestBody.Copy(new ReadOnlySequence<byte>(getBodies[i % Keys]));
            handler.HandleAsync(head, body, sink, connection: null).AsTask().GetAwaiter().GetResult();
            sink.FlushAsync().AsTask().GetAwaiter().GetResult();
        }));
        // Access control's pieces (docs/PERFORMANCE.md, Tables, Access control).
        var authorizer = new Cloister.Tables.Access.RequestAuthorizer(BenchAccess.Create("authorize")!, service.Access, AccountContext.Default, TimeProvider.System, NullLogger.Instance);
        var access = new Cloister.Tables.Access.ConnectionAccess(new Cloister.Model.Network.ServiceOrigin("vpc-1", "vpce-1", "10.0.1.5"), false, BenchAccess.Endpoint, "us-east-1");
        authorizer.Authenticate(head, access);
        rows.Add(Time("access: caller of a request (cached per connection)", iterations, _ => authorizer.Authenticate(head, access)));
        rows.Add(Time("access: authorize a PutItem (identity + endpoint policy)", iterations, i => authorizer.Authorize("PutItem", putDocuments[i % Keys].RootElement, access)));
        var accessHandler = new RequestHandler(service, AccountContext.Default, NullLogger.Instance, accessKeyIds: null, verifier: null, authorizer);
        rows.Add(Time("GetItem: the whole request handler WITH access (checked from its bytes)", iterations, i =>
        {
            using var body = RequestBody.Copy(new ReadOnlySequence<byte>(getBodies[i % Keys]));
            accessHandler.HandleAsync(head, body, sink, access).AsTask().GetAwaiter().GetResult();
            sink.FlushAsync().AsTask().GetAwaiter().GetResult();
        }));
        // Signature verification with the caller's secret, on a correctly signed PutItem head.
        var now = DateTimeOffset.UtcNow;
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var signedBody = putBodies[0];
        using var signedHead = new HttpRequestHead();
        string HeadText(string signature) =>
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Type: application/x-amz-json-1.0\r\n" +
            $"X-Amz-Date: {amzDate}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/{amzDate[..8]}/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={signature}\r\n" +
            $"Content-Length: {signedBody.Length}\r\n\r\n";
        HttpHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(HeadText("00"))), signedHead);
        var canonical = Cloister.Tables.Authentication.SignatureVerifier.CanonicalRequest("POST", "/", signedHead.ToDictionary(), "content-type;host;x-amz-date;x-amz-target", signedBody);
        var signingKey = Cloister.Shared.Signing.SigV4Canonical.SigningKey("secret", amzDate[..8], "us-east-1", "dynamodb");
        var goodSignature = Cloister.Shared.Signing.SigV4Canonical.Signature(signingKey, Cloister.Shared.Signing.SigV4Canonical.StringToSign(amzDate, $"{amzDate[..8]}/us-east-1/dynamodb/aws4_request", canonical));
        HttpHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(HeadText(goodSignature))), signedHead);
        var verifying = new Cloister.Tables.Access.CallerAccess("AKIDBENCH", BenchAccess.Caller(verify: true));
        authorizer.VerifySignature(signedHead, signedBody, verifying);
        rows.Add(Time("access: verify a PutItem's SigV4 signature with the caller's secret", iterations, _ => authorizer.VerifySignature(signedHead, signedBody, verifying)));
        var ids = new RequestIds();
        rows.Add(Time("request id", iterations, _ => ids.Next()));
        foreach (var document in putDocuments.Concat(getDocuments))
        {
            document.Dispose();
        }

        return rows;
    }

    /// <summary>
    /// ns/op of the fastest of five rounds (the machine is shared: the fastest round is the one least
    /// disturbed by other processes), and bytes allocated per operation.
    /// </summary>
    private static string Time(string name, int iterations, Action<int> action)
    {
        for (var i = 0; i < Math.Min(iterations, 20_000); i++)
        {
            action(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var fastest = TimeSpan.MaxValue;
        const int Rounds = 5;
        var perRound = Math.Max(1, iterations / Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perRound; i++)
            {
                action(i);
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            fastest = elapsed < fastest ? elapsed : fastest;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {fastest.TotalNanoseconds / perRound:F0} | {allocated / (perRound * Rounds):N0} |");
    }
}
