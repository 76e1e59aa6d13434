using System.Collections.Concurrent;
using System.IO.Pipes;
using System.Text;
using Cloister.Functions.Logging;

namespace Cloister.Functions.Tests.Logging;

/// <summary>The pump over a real pipe: what was written before a drain is logged when the drain returns.</summary>
public sealed class OutputPumpTests
{
    [Fact]
    public void Drain_AfterEachWrite_EveryLineWrittenIsLogged()
    {
        // Many short write-then-drain rounds, as an invocation's output followed by its END line: a drain that
        // returns while the reader holds bytes it has taken from the pipe but not logged yet fails one of them.
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var lines = new ConcurrentQueue<string>();
        var pump = new OutputPump(client, lines.Enqueue);
        const int rounds = 3000;
        var late = new List<int>();

        for (var i = 0; i < rounds; i++)
        {
            server.Write(Encoding.UTF8.GetBytes($"line {i}\n"));
            pump.Drain(TimeSpan.FromSeconds(5));
            if (lines.Count != i + 1)
            {
                late.Add(i);
                SpinWait.SpinUntil(() => lines.Count == i + 1, TimeSpan.FromSeconds(5));
            }
        }

        Assert.Empty(late);
        Assert.Equal(Enumerable.Range(0, rounds).Select(i => $"line {i}"), lines);
    }

    [Fact]
    public async Task Drain_WriterThatNeverStops_ReturnsOnceWhatWasThereIsLogged()
    {
        // A function whose background thread writes without pause must not hold every invocation for the drain's limit.
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var lines = new ConcurrentQueue<string>();
        var pump = new OutputPump(client, lines.Enqueue);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            var line = Encoding.UTF8.GetBytes(new string('x', 100) + "\n");
            while (!stop.IsCancellationRequested)
            {
                server.Write(line);
            }
        });
        SpinWait.SpinUntil(() => lines.Count > 100, TimeSpan.FromSeconds(5));

        // Whether a drain ran out its limit is its answer, not a clock's (a bound on 20 drains failed under load); the
        // 30 s limit only stops a drain that waits for a writer that never stops, far above what logging the pipe's
        // contents needs on a loaded machine.
        var drained = 0;
        while (drained < 20 && pump.Drain(TimeSpan.FromSeconds(30)))
        {
            drained++;
        }

        stop.Cancel();
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(20, drained);
    }
}
