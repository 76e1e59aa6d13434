using Cloister.Gateway.AccessLogs;
using Cloister.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Gateway.Tests.AccessLogs;

/// <summary>The access log writer by itself, over real files in a temporary folder.</summary>
public sealed class AccessLogWriterTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cloister-access-logs-");

    public void Dispose() => _root.Delete(recursive: true);

    /// <summary>
    /// A stage's first requests may arrive together: each file must get one writer, whichever request makes it. The
    /// writer was made inside ConcurrentDictionary.GetOrAdd's factory, which may run once per racing caller, and every
    /// losing writer still opened the file and waited on a queue nobody wrote to or completed: a descriptor and a task
    /// left behind for the life of the process, a dispose of the gateway included.
    /// </summary>
    [Fact]
    public async Task Enqueue_FirstLinesOfAFileAtOnce_LeavesNoDescriptorOpenAfterDispose()
    {
        const int Files = 500;
        const int Racers = 2;
        var writer = new AccessLogWriter(NullLogger.Instance);
        var paths = Enumerable.Range(0, Files).Select(i => Path.Combine(_root.FullName, $"api_{i}.log")).ToList();
        var arrived = 0;
        var racers = Enumerable.Range(0, Racers).Select(racer => new Thread(() =>
        {
            for (var i = 0; i < Files; i++)
            {
                // A spinning start (a Barrier's wake-ups come microseconds apart, longer than the race lasts).
                Interlocked.Increment(ref arrived);
                while (Volatile.Read(ref arrived) < Racers * (i + 1))
                {
                    Thread.SpinWait(1);
                }

                writer.Enqueue(paths[i], $"line {racer}");
            }
        })).ToList();
        racers.ForEach(thread => thread.Start());
        racers.ForEach(thread => thread.Join());

        await writer.FlushAsync();
        await writer.DisposeAsync();

        // A writer that lost the race opens its file on the thread pool, possibly after the dispose: give it time to.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        var open = OpenLogs();
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            open = OpenLogs();
        }

        Assert.Empty(open);
        Assert.All(paths, path => Assert.Equal(Racers, File.ReadAllLines(path).Length));
    }

    /// <summary>This process's descriptors open on a file of the test's folder.</summary>
    private List<string> OpenLogs() => [.. OpenFiles.OfThisProcess().Where(target => target.StartsWith(_root.FullName, StringComparison.Ordinal))];
}
