using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Hosting;

public sealed class RequestBodyTests
{
    [Fact]
    public void Parse_SourceReusedAfterwards_DocumentUnchanged()
    {
        var source = Encoding.UTF8.GetBytes("""{"TableName":"first"}""");
        using var body = RequestBody.Parse(new ReadOnlySequence<byte>(source), default);

        // Kestrel hands released pipe memory to the next connection; simulate that reuse.
        Encoding.UTF8.GetBytes("""{"TableName":"other"}""").CopyTo(source, 0);

        Assert.Equal("first", body.Document.RootElement.GetProperty("TableName").GetString());
    }

    [Fact]
    public void Parse_Malformed_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => RequestBody.Parse(new ReadOnlySequence<byte>("{\"a\":"u8.ToArray()), default));
    }
}
