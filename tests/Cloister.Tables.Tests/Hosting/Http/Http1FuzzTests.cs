using System.Text;

namespace Cloister.Tables.Tests.Hosting.Http;

/// <summary>Random and mutated request bytes never crash the service: each connection gets well-formed responses with expected statuses, or is closed.</summary>
public sealed class Http1FuzzTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    private static readonly string[] Seeds =
    [
        "POST / HTTP/1.1\r\nHost: localhost:8000\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}",
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{}POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    ];

    private static readonly int[] Statuses = [100, 200, 400, 413, 431, 505];

    [Fact]
    public void Connection_RandomAndMutatedBytes_ExpectedStatusesOrClosed()
    {
        var random = new Random(11);
        for (var i = 0; i < 400; i++)
        {
            var bytes = i % 10 == 0 ? RandomBytes(random) : Mutate(random, Encoding.ASCII.GetBytes(Seeds[random.Next(Seeds.Length)]));
            using var connection = new RawHttpConnection(fixture.Url);
            connection.Send(bytes);
            connection.EndSending();
            while (connection.Read() is { } response)
            {
                Assert.Contains(response.Status, Statuses);
            }
        }

        using var after = new RawHttpConnection(fixture.Url);
        after.Send(Seeds[0]);
        Assert.Equal(200, after.Read()!.Status);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        for (var n = random.Next(1, 5); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, "\r\n: 0123456789abcdefABCDEF;-"u8[random.Next(27)]);
                    break;
                default:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 40))));
                    break;
            }
        }

        return [.. bytes];
    }
}
