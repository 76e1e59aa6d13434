using System.Text.Json;
using System.Threading.Channels;

namespace Cloister.Functions.Logging;

/// <summary>
/// Appends a function's log events to <c>{FunctionLogs}/{name}.log</c>, one JSON object per line
/// (<c>{"timestamp","logStreamName","message"}</c>, CloudWatch Logs' event shape). Writers never block: events go
/// through a channel to one background writer that flushes whenever the channel runs dry.
/// </summary>
internal sealed class FunctionLogWriter : IAsyncDisposable
{
    private readonly Channel<FunctionLogEvent> _events = Channel.CreateUnbounded<FunctionLogEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly FileStream _file;
    private readonly Task _writer;

    public FunctionLogWriter(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Path { get; }

    public void Write(FunctionLogEvent logEvent) => _events.Writer.TryWrite(logEvent);

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var json = new Utf8JsonWriter(_file);
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var logEvent))
            {
                json.Reset(_file);
                json.WriteStartObject();
                json.WriteNumber("timestamp"u8, logEvent.Timestamp);
                json.WriteString("logStreamName"u8, logEvent.LogStreamName);
                json.WriteString("message"u8, logEvent.Message);
                json.WriteEndObject();
                json.Flush();
                _file.WriteByte((byte)'\n');
            }

            await _file.FlushAsync().ConfigureAwait(false);
        }

        await json.DisposeAsync().ConfigureAwait(false);
    }
}
