using System.Buffers;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Hosting;

public sealed class RequestBodyTests
{
    [Fact]
    public void ParseDocument_SourceReusedAfterCopy_DocumentUnchanged()
    {
        var source = Encoding.UTF8.GetBytes("""{"TableName":"first"}""");
        using var body = RequestBody.Copy(new ReadOnlySequence<byte>(source));

        // Kestrel hands released pipe memory to the next connection; simulate that reuse.
        Encoding.UTF8.GetBytes("""{"TableName":"other"}""").CopyTo(source, 0);

        Assert.Equal("first", body.ParseDocument(default).RootElement.GetProperty("TableName").GetString());
    }

    [Fact]
    public void ParseDocument_Malformed_ThrowsJsonException()
    {
        using var body = RequestBody.Copy(new ReadOnlySequence<byte>("{\"a\":"u8.ToArray()));
        Assert.ThrowsAny<JsonException>(() => body.ParseDocument(default));
    }
}
