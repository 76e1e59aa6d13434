using System.Net;
using System.Text;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Hosting.Http;

/// <summary>The service's own HTTP/1.1 layer over raw loopback sockets: framing, keep-alive, pipelining, limits, refusals, stopping.</summary>
public sealed class Http1ConnectionHandlerTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    private const string ListTables = "{}";

    private static string Post(string operation, string body, string extraHeaders = "", string version = "HTTP/1.1") =>
        $"POST / {version}\r\nHost: localhost:8000\r\nX-Amz-Target: DynamoDB_20120810.{operation}\r\nContent-Type: application/x-amz-json-1.0\r\n{extraHeaders}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    private static string Chunked(string operation, params string[] chunks) =>
        $"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.{operation}\r\nTransfer-Encoding: chunked\r\n\r\n" +
        string.Concat(chunks.Select(chunk => $"{Encoding.UTF8.GetByteCount(chunk):x}\r\n{chunk}\r\n")) + "0\r\n\r\n";

    private RawHttpConnection Connect() => new(fixture.Url);

    [Fact]
    public void Post_ContentLengthBody_Answers200WithDynamoHeadersAndDate()
    {
        using var connection = Connect();
        connection.Send(Post("ListTables", ListTables));

        var response = connection.Read()!;

        Assert.Equal(200, response.Status);
        Assert.Equal("application/x-amz-json-1.0", response.Headers["content-type"]);
        Assert.Equal(52, response.Headers["x-amzn-requestid"].Length);
        Assert.Equal(Cloister.Shared.Hashing.Crc32.Compute(Encoding.UTF8.GetBytes(response.Body)).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["x-amz-crc32"]);
        Assert.True(DateTimeOffset.TryParse(response.Headers["date"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date));
        Assert.InRange(date, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains("TableNames", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Post_ChunkedBody_AnsweredAsTheSameBodyWithContentLength()
    {
        using var connection = Connect();
        connection.Send(Chunked("DescribeTable", "{\"TableName\":", "\"chunked-missing\"}"));

        var response = connection.Read()!;

        Assert.Equal(400, response.Status);
        Assert.Contains("ResourceNotFoundException", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Post_ChunkedWithExtensionsAndTrailer_Answered()
    {
        using var connection = Connect();
        connection.Send("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nTransfer-Encoding: chunked\r\n\r\n2;name=value\r\n{}\r\n0\r\nX-Trailer: t\r\n\r\n");

        Assert.Equal(200, connection.Read()!.Status);
    }

    [Fact]
    public void Post_ExpectContinue_Sends100ThenTheResponse()
    {
        using var connection = Connect();
        var request = Post("ListTables", ListTables, "Expect: 100-continue\r\n");
        var headEnd = request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        connection.Send(request[..headEnd]);

        Assert.Equal(100, connection.Read()!.Status);
        connection.Send(request[headEnd..]);
        Assert.Equal(200, connection.Read()!.Status);
    }

    [Fact]
    public void Post_PipelinedRequests_AnsweredInOrder()
    {
        using var connection = Connect();
        connection.Send(Post("ListTables", ListTables) + Post("DescribeTable", "{\"TableName\":\"pipelined-missing\"}") + Post("ListTables", ListTables));

        var statuses = new[] { connection.Read()!, connection.Read()!, connection.Read()! }.Select(response => response.Status);

        Assert.Equal([200, 400, 200], statuses);
    }

    [Fact]
    public void Post_KeepAlive_ServesManyRequestsOnOneConnection()
    {
        using var connection = Connect();
        for (var i = 0; i < 20; i++)
        {
            connection.Send(Post("ListTables", ListTables));
            var response = connection.Read()!;
            Assert.Equal(200, response.Status);
            Assert.False(response.Headers.ContainsKey("connection"));
        }
    }

    [Fact]
    public void Post_ConnectionClose_AnswersThenCloses()
    {
        using var connection = Connect();
        connection.Send(Post("ListTables", ListTables, "Connection: close\r\n"));

        var response = connection.Read()!;

        Assert.Equal("close", response.Headers["connection"]);
        Assert.True(connection.ClosedByServer());
    }

    [Fact]
    public void Post_Http10_AnswersThenCloses()
    {
        using var connection = Connect();
        connection.Send(Post("ListTables", ListTables, version: "HTTP/1.0"));

        Assert.Equal(200, connection.Read()!.Status);
        Assert.True(connection.ClosedByServer());
    }

    [Fact]
    public void Post_Http10KeepAlive_StaysOpen()
    {
        using var connection = Connect();
        connection.Send(Post("ListTables", ListTables, "Connection: keep-alive\r\n", "HTTP/1.0"));
        Assert.Equal("keep-alive", connection.Read()!.Headers["connection"]);

        connection.Send(Post("ListTables", ListTables, version: "HTTP/1.0"));
        Assert.Equal(200, connection.Read()!.Status);
    }

    [Fact]
    public void Post_OneByteSegments_Answered()
    {
        using var connection = Connect();
        connection.SendSlowly(Post("ListTables", ListTables));

        Assert.Equal(200, connection.Read()!.Status);
    }

    [Fact]
    public void Post_ChunkedInOneByteSegments_Answered()
    {
        using var connection = Connect();
        connection.SendSlowly(Chunked("ListTables", "{", "}"));

        Assert.Equal(200, connection.Read()!.Status);
    }

    [Fact]
    public void Post_BodyLargerThanOneReadBuffer_ReadWhole()
    {
        using var connection = Connect();
        var body = "{\"TableName\":\"big-missing\",\"Item\":{\"PK\":{\"S\":\"" + new string('x', 300_000) + "\"}}}";
        connection.Send(Post("PutItem", body));

        var response = connection.Read()!;

        Assert.Equal(400, response.Status);
        Assert.Contains("ResourceNotFoundException", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_HeadersOver32KB_Refused431AndClosed()
    {
        using var connection = Connect();
        connection.Send($"POST / HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");

        Assert.Equal(431, connection.Read()!.Status);
        Assert.True(connection.ClosedByServer());
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\n folded: 1\r\n\r\n")]
    [InlineData("POST  / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -2\r\n\r\n{}")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("\u0001\u0002garbage\r\n\r\n")]
    public void Request_Malformed_Refused400AndClosed(string request)
    {
        using var connection = Connect();
        connection.Send(request);

        Assert.Equal(400, connection.Read()!.Status);
        Assert.True(connection.ClosedByServer());
    }

    [Fact]
    public void Request_UnsupportedVersion_Refused505()
    {
        using var connection = Connect();
        connection.Send("POST / HTTP/2.0\r\nHost: x\r\n\r\n");

        Assert.Equal(505, connection.Read()!.Status);
        Assert.True(connection.ClosedByServer());
    }

    [Fact]
    public void Post_DeclaredBodyOverLimit_Refused413WithoutReadingIt()
    {
        using var connection = Connect();
        connection.Send($"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: {RequestHandler.MaxRequestBytes + 2}\r\n\r\n");

        Assert.Equal(413, connection.Read()!.Status);
        Assert.True(connection.ClosedByServer());
    }

    [Fact]
    public void Post_ChunkedBodyOverLimit_Refused413()
    {
        using var connection = Connect();
        connection.Send($"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\nTransfer-Encoding: chunked\r\n\r\n{RequestHandler.MaxRequestBytes + 2:x}\r\n");

        Assert.Equal(413, connection.Read()!.Status);
    }

    [Fact]
    public void Get_AnyPathAnyHost_HealthLineWithTheServicesRegionalName()
    {
        using var connection = Connect();
        connection.Send("GET /anything HTTP/1.1\r\nHost: dynamodb.test:8000\r\n\r\n");

        var response = connection.Read()!;

        Assert.Equal(200, response.Status);
        Assert.Equal("text/plain", response.Headers["content-type"]);
        // DynamoDB names its own region whatever Host the request carried (the fixture's account is the default's, us-east-1).
        Assert.Equal("healthy: dynamodb.us-east-1.amazonaws.com ", response.Body);
    }

    [Fact]
    public async Task Post_ClientLeavesWhileItsWriteAwaitsCommit_WriteKeptAndServerServes()
    {
        using var create = Connect();
        create.Send(Post("CreateTable", """{"TableName":"leaving","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],"KeySchema":[{"AttributeName":"PK","KeyType":"HASH"}]}"""));
        Assert.Equal(200, create.Read()!.Status);
        for (var i = 0; i < 20; i++)
        {
            using var leaving = Connect();
            leaving.Send(Post("PutItem", "{\"TableName\":\"leaving\",\"Item\":{\"PK\":{\"S\":\"k" + i + "\"}}}"));
            leaving.Close();
        }

        using var client = TablesServerFixture.CreateClient(fixture.Url);
        for (var attempt = 0; ; attempt++)
        {
            var scan = await client.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = "leaving", ConsistentRead = true });
            if (scan.Count == 20 || attempt == 50)
            {
                Assert.Equal(20, scan.Count);
                break;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public void Request_ClientLeavesMidRequest_ServerKeepsServing()
    {
        using (var leaving = Connect())
        {
            leaving.Send(Post("ListTables", ListTables)[..40]);
        }

        using var connection = Connect();
        connection.Send(Post("ListTables", ListTables));
        Assert.Equal(200, connection.Read()!.Status);
    }

    [Fact]
    public async Task Dispose_RequestBeingRead_FinishesBeforeTheServerStops()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloister-tables-stop-" + Guid.NewGuid().ToString("N"));
        try
        {
            var server = await TablesServer.StartAsync(new TablesServerOptions { DataDirectory = directory, HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
            using var connection = new RawHttpConnection(server.Urls[0]);
            var request = Post("ListTables", ListTables);
            connection.Send(request[..^1]);
            await Task.Delay(200);
            var stopping = server.DisposeAsync().AsTask();
            await Task.Delay(200);
            Assert.False(stopping.IsCompleted);
            connection.Send(request[^1..]);

            var response = connection.Read()!;
            await stopping;

            Assert.Equal(200, response.Status);
            Assert.True(connection.ClosedByServer());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
