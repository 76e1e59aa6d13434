using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>The event stream framing InvokeWithResponseStream answers with, and its <c>InvokeComplete</c> event.</summary>
public sealed class EventStreamMessageTests
{
    [Fact]
    public void Write_PayloadChunk_PreludeHeadersPayloadAndBothCrcs()
    {
        var buffer = new ArrayBufferWriter<byte>();

        var length = EventStreamMessage.Write(buffer, "PayloadChunk", "application/octet-stream", "hello"u8);

        var bytes = buffer.WrittenSpan;
        Assert.Equal(length, bytes.Length);
        Assert.Equal(length, BinaryPrimitives.ReadInt32BigEndian(bytes));
        // ":event-type"/"PayloadChunk", ":content-type"/"application/octet-stream", ":message-type"/"event", each 1 + name + 1 + 2 + value.
        var headersLength = (1 + 11 + 3 + 12) + (1 + 13 + 3 + 24) + (1 + 13 + 3 + 5);
        Assert.Equal(headersLength, BinaryPrimitives.ReadInt32BigEndian(bytes[4..]));
        Assert.Equal(12 + headersLength + 5 + 4, length);
        var message = Assert.Single(EventStreamReader.ReadAll(bytes));
        Assert.Equal("PayloadChunk", message.Headers[":event-type"]);
        Assert.Equal("application/octet-stream", message.Headers[":content-type"]);
        Assert.Equal("event", message.Headers[":message-type"]);
        Assert.Equal("hello", Encoding.UTF8.GetString(message.Payload));
    }

    [Fact]
    public void Write_EmptyPayload_MessageOfHeadersOnly()
    {
        var buffer = new ArrayBufferWriter<byte>();

        EventStreamMessage.Write(buffer, "InvokeComplete", "application/json", default);

        var message = Assert.Single(EventStreamReader.ReadAll(buffer.WrittenSpan));
        Assert.Empty(message.Payload);
        Assert.Equal("InvokeComplete", message.Headers[":event-type"]);
    }

    [Fact]
    public void Write_OneBitFlipped_CrcNoLongerMatches()
    {
        var buffer = new ArrayBufferWriter<byte>();
        EventStreamMessage.Write(buffer, "PayloadChunk", "application/octet-stream", "{\"a\":1}"u8);
        var bytes = buffer.WrittenSpan.ToArray();

        bytes[^6] ^= 0x01;

        Assert.ThrowsAny<Exception>(() => EventStreamReader.ReadAll(bytes));
    }

    [Fact]
    public void Write_PayloadOverSixteenMegabytes_Refused()
    {
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentOutOfRangeException>(() => EventStreamMessage.Write(buffer, "PayloadChunk", "application/octet-stream", new byte[EventStreamMessage.MaxMessageLength]));
    }

    [Fact]
    public void Complete_FunctionError_ErrorTypeAndMessage()
    {
        var result = new InvocationResult(200, """{"errorMessage":"boom from python","errorType":"ValueError","requestId":"r","stackTrace":["a"]}"""u8.ToArray(), "Unhandled", null, "r");

        var complete = JsonDocument.Parse(ResponseStreamAnswer.Complete(result)).RootElement;

        Assert.Equal("ValueError", complete.GetProperty("ErrorCode").GetString());
        Assert.Equal("boom from python", complete.GetProperty("ErrorDetails").GetString());
        Assert.False(complete.TryGetProperty("LogResult", out _));
    }

    [Fact]
    public void Complete_ErrorBodyNotJson_FunctionErrorAndBodyAsText()
    {
        var result = new InvocationResult(200, "plain failure"u8.ToArray(), "Unhandled", null, "r");

        var complete = JsonDocument.Parse(ResponseStreamAnswer.Complete(result)).RootElement;

        Assert.Equal("Unhandled", complete.GetProperty("ErrorCode").GetString());
        Assert.Equal("plain failure", complete.GetProperty("ErrorDetails").GetString());
    }

    [Fact]
    public void Complete_SuccessWithTail_OnlyLogResultInBase64()
    {
        var result = new InvocationResult(200, "{}"u8.ToArray(), null, null, "r") { LogTail = "START RequestId: r\n"u8.ToArray() };

        var complete = JsonDocument.Parse(ResponseStreamAnswer.Complete(result)).RootElement;

        Assert.Equal("START RequestId: r\n", Encoding.UTF8.GetString(Convert.FromBase64String(complete.GetProperty("LogResult").GetString()!)));
        Assert.False(complete.TryGetProperty("ErrorCode", out _));
    }
}
