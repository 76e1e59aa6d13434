using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Logging;

/// <summary>
/// Appends a function's log events to <c>{FunctionLogs}/{name}.log</c>, one JSON object per line
/// (<c>{"timestamp","logStreamName","message"}</c>, CloudWatch Logs' event shape). Writers never block: events go
/// through a channel to one background writer that flushes whenever the channel runs dry. A file that cannot be
/// written (a full disk) is reported once; the writer then drops the events it is given, so that they do not pile up in
/// the channel, and its dispose still closes the file without throwing: the service closes its writers one after the
/// other, and a throw there left every writer after the failed one open.
/// </summary>
internal sealed class FunctionLogWriter : IAsyncDisposable
{
    private readonly Channel<FunctionLogEvent> _events = Channel.CreateUnbounded<FunctionLogEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly FileStream _file;
    private readonly ILogger _logger;
    private readonly Task _writer;

    public FunctionLogWriter(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
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
        try
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // What the failed writes left in the buffer cannot be written either (reported when they failed); the
            // descriptor is closed all the same.
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _events.Reader;
        try
        {
            await WriteEventsAsync(reader).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            FunctionsLog.FunctionLogFailed(_logger, Path, exception);
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out _))
                {
                }
            }
        }
    }

    private async Task WriteEventsAsync(ChannelReader<FunctionLogEvent> reader)
    {
        var json = new Utf8JsonWriter(_file);
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
