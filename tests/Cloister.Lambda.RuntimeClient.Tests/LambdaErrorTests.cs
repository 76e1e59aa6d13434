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

    [Fact]
    public void FromException_InnerException_WritesItAsCause()
    {
        var error = LambdaError.FromException(Thrown(() => throw new InvalidOperationException(
            "claim not saved", new IOException("disk full", new UnauthorizedAccessException("read-only")))));

        var json = Json(error);

        var cause = json.GetProperty("cause");
        Assert.Equal("IOException", cause.GetProperty("errorType").GetString());
        Assert.Equal("disk full", cause.GetProperty("errorMessage").GetString());
        Assert.Equal("UnauthorizedAccessException", cause.GetProperty("cause").GetProperty("errorType").GetString());
        Assert.False(cause.GetProperty("cause").TryGetProperty("cause", out _));
        Assert.False(json.TryGetProperty("causes", out _));
    }

    [Fact]
    public void FromException_AggregateException_WritesEveryInnerExceptionAsCauses()
    {
        var error = LambdaError.FromException(Thrown(() => throw new AggregateException(
            new TimeoutException("first"), new ArgumentException("second", new FormatException("nested")))));

        var json = Json(error);

        Assert.Equal("AggregateException", json.GetProperty("errorType").GetString());
        Assert.Equal("TimeoutException", json.GetProperty("cause").GetProperty("errorType").GetString());
        var causes = json.GetProperty("causes").EnumerateArray().ToList();
        Assert.Equal(["TimeoutException", "ArgumentException"], causes.Select(c => c.GetProperty("errorType").GetString()));
        Assert.Equal("FormatException", causes[1].GetProperty("cause").GetProperty("errorType").GetString());
        Assert.Equal("nested", causes[1].GetProperty("cause").GetProperty("errorMessage").GetString());
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // The test wants whatever was thrown.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return exception;
        }

        throw new InvalidOperationException("nothing was thrown");
    }

    private static JsonElement Json(LambdaError error)
    {
        var output = new ArrayBufferWriter<byte>();
        error.WriteTo(output);
        return JsonDocument.Parse(output.WrittenMemory).RootElement.Clone();
    }
}
