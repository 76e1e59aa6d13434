using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.AccessLogs;

/// <summary>
/// Appends access log lines to their stage's file off the request path: requests enqueue a line, one
/// writer task per file drains the queue and flushes when it runs dry.
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FileQueue> _files = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public AccessLogWriter(ILogger logger) => _logger = logger;

    public void Enqueue(string path, string line) => _files.GetOrAdd(path, p => new FileQueue(p, _logger)).Channel.Writer.TryWrite(line);

    /// <summary>Waits until every line enqueued so far is on disk.</summary>
    public async Task FlushAsync()
    {
        foreach (var queue in _files.Values)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (queue.Channel.Writer.TryWrite(done))
            {
                await done.Task.ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _files.Values)
        {
            queue.Channel.Writer.TryComplete();
            await queue.Drained.ConfigureAwait(false);
        }
    }

    private sealed class FileQueue
    {
        public FileQueue(string path, ILogger logger)
        {
            Channel = System.Threading.Channels.Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
            Drained = Task.Run(() => DrainAsync(path, logger));
        }

        public Channel<object> Channel { get; }

        public Task Drained { get; }

        private async Task DrainAsync(string path, ILogger logger)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 16 * 1024, useAsync: true);
                await using (stream.ConfigureAwait(false))
                {
                    var writer = new StreamWriter(stream, new UTF8Encoding(false));
                    await using (writer.ConfigureAwait(false))
                    {
                        var reader = Channel.Reader;
                        while (await reader.WaitToReadAsync().ConfigureAwait(false))
                        {
                            var flushed = new List<TaskCompletionSource>();
                            while (reader.TryRead(out var item))
                            {
                                if (item is string line)
                                {
                                    await writer.WriteAsync(line).ConfigureAwait(false);
                                    await writer.WriteAsync('\n').ConfigureAwait(false);
                                }
                                else if (item is TaskCompletionSource done)
                                {
                                    flushed.Add(done);
                                }
                            }

                            await writer.FlushAsync().ConfigureAwait(false);
                            flushed.ForEach(done => done.TrySetResult());
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.AccessLogFailed(logger, path, exception);
                Channel.Writer.TryComplete();
                while (Channel.Reader.TryRead(out var item))
                {
                    (item as TaskCompletionSource)?.TrySetResult();
                }
            }
        }
    }
}
