using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.AccessLogs;

/// <summary>One access log file: a queue of lines (and flush markers) drained by a single writer task.</summary>
internal sealed class AccessLogFile
{
    public AccessLogFile(string path, ILogger logger)
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
