using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns.Logging;

/// <summary>
/// The log file of one query logging configuration. Entries are queued without blocking the query path and
/// appended by one background writer, flushed after every batch so <c>logs dns --follow</c> sees them at once.
/// When the queue is full (a flood), entries are dropped rather than slowing answers.
/// </summary>
internal sealed class QueryLogSink : IAsyncDisposable
{
    private const int Capacity = 65536;
    private readonly Channel<QueryLogEntry> _queue = Channel.CreateBounded<QueryLogEntry>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly ILogger _logger;
    private readonly Task _writer;

    public QueryLogSink(string configId, string path, ILogger logger)
    {
        ConfigId = configId;
        Path = path;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    public string ConfigId { get; }

    public string Path { get; }

    public void Add(QueryLogEntry entry) => _queue.Writer.TryWrite(entry);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new ArrayBufferWriter<byte>(4096);
                var reader = _queue.Reader;
                while (await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    buffer.ResetWrittenCount();
                    while (buffer.WrittenCount < 256 * 1024 && reader.TryRead(out var entry))
                    {
                        QueryLogFormat.Write(entry, buffer);
                    }

                    await file.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
                    await file.FlushAsync().ConfigureAwait(false);
                }
            }
        }
        catch (IOException exception)
        {
            DnsLog.QueryLogFailed(_logger, Path, exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            DnsLog.QueryLogFailed(_logger, Path, exception);
        }
    }
}
