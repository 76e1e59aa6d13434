using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.AccessLogs;

/// <summary>
/// Appends access log lines to their stage's file off the request path: requests enqueue a line, one
/// writer task per file drains the queue and flushes when it runs dry.
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    // Lazy, because GetOrAdd may run its factory once for each caller racing on a new file and keeps one result: an
    // AccessLogFile made for nothing would still open the file and wait for ever on a queue nobody writes to.
    private readonly ConcurrentDictionary<string, Lazy<AccessLogFile>> _files = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public AccessLogWriter(ILogger logger) => _logger = logger;

    public void Enqueue(string path, string line) =>
        _files.GetOrAdd(path, p => new Lazy<AccessLogFile>(() => new AccessLogFile(p, _logger))).Value.Channel.Writer.TryWrite(line);

    /// <summary>Waits until every line enqueued so far is on disk.</summary>
    public async Task FlushAsync()
    {
        foreach (var queue in _files.Values.Select(file => file.Value))
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
        foreach (var queue in _files.Values.Select(file => file.Value))
        {
            queue.Channel.Writer.TryComplete();
            await queue.Drained.ConfigureAwait(false);
        }
    }
}
