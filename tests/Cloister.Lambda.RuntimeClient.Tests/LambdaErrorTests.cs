using System.Buffers;
using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient.Tests;

public sealed class LambdaErrorTests
{
    [Fact]
    public void FromException_ThrownException_NamesTypeAndKeepsFrames()
    {
        LambdaError error;
        try
        {
            throw new InvalidOperationException("no claim");
        }
        catch (InvalidOperationException exception)
        {
            error = LambdaError.FromException(exception);
        }

        var output = new ArrayBufferWriter<byte>();
        error.WriteTo(output);
        var json = JsonDocument.Parse(output.WrittenMemory).RootElement;

        Assert.Equal("InvalidOperationException", json.GetProperty("errorType").GetString());
        Assert.Equal("no claim", json.GetProperty("errorMessage").GetString());
        Assert.Contains(json.GetProperty("stackTrace").EnumerateArray(), f => f.GetString()!.Contains(nameof(FromException_ThrownException_NamesTypeAndKeepsFrames), StringComparison.Ordinal));
    }
}
