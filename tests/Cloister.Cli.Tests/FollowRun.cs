using System.CommandLine;

namespace Cloister.Cli.Tests;

/// <summary>Runs a <c>logs ... --follow</c> verb in process until it writes to standard error (or 10 s pass), then interrupts it.</summary>
internal static class FollowRun
{
    public static async Task<(int ExitCode, string Output, string Error)> UntilErrorAsync(Command verb, params string[] args)
    {
        var root = new RootCommand { verb };
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var interrupt = new CancellationTokenSource();

        // TextWriter.Synchronized locks on the wrapper: reading under the same lock sees whole writes.
        var errorWriter = TextWriter.Synchronized(error);
        var configuration = new InvocationConfiguration { Output = TextWriter.Synchronized(output), Error = errorWriter };
        var running = root.Parse(args).InvokeAsync(configuration, interrupt.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!running.IsCompleted && DateTime.UtcNow < deadline && Written(errorWriter, error).Length == 0)
        {
            await Task.Delay(20);
        }

        await interrupt.CancelAsync();
        var exitCode = await running;
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Waits (up to 10 s) until what was written ends with <paramref name="expected"/>.</summary>
    public static async Task WrittenAsync(TextWriter synchronized, StringWriter output, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            string text;
            lock (synchronized)
            {
                text = output.ToString().ReplaceLineEndings("\n");
            }

            if (text.EndsWith(expected, StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never wrote '{expected.Trim()}'; wrote: {text}");
            await Task.Delay(20);
        }
    }

    private static string Written(TextWriter synchronized, StringWriter writer)
    {
        lock (synchronized)
        {
            return writer.ToString();
        }
    }
}
