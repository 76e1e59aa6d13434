using System.Text;

namespace Cloister.Functions.Tests.Support;

/// <summary>A streaming caller that keeps what reached it, in order, as text.</summary>
internal sealed class RecordingResponseStream : IResponseStreamSink
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();

    public string? RequestId { get; private set; }

    public string? ExecutedVersion { get; private set; }

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public ValueTask BeginAsync(string requestId, string executedVersion)
    {
        RequestId = requestId;
        ExecutedVersion = executedVersion;
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk)
    {
        lock (_lock)
        {
            _text.Append(Encoding.UTF8.GetString(chunk.Span));
        }

        return ValueTask.CompletedTask;
    }
}
