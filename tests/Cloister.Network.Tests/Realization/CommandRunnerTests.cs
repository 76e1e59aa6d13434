using System.Diagnostics;
using System.Globalization;
using Cloister.Network.Realization;

namespace Cloister.Network.Tests.Realization;

/// <summary>
/// Every wait of <see cref="CommandRunner"/> ends: a tool that exits while a process it started keeps its output open,
/// one that never exits, one that never reads its input.
/// </summary>
public sealed class CommandRunnerTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-command-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task RunAsync_BackgroundProcessHoldsTheOutput_ReturnsTheOutputOnceTheToolExits()
    {
        // The background sleep inherits stdout and stderr: reading them to their end would wait for it.
        var pidFile = Path.Combine(_folder, "background.pid");
        var run = CommandRunner.RunAsync("/bin/sh", ["-c", $"sleep 300 & echo $! > {pidFile}; echo done; exit 3"]);
        try
        {
            var result = await run.WaitAsync(Bound);

            Assert.Equal(3, result.ExitCode);
            Assert.Equal("done\n", result.Output);
        }
        finally
        {
            KillFromFile(pidFile);
        }
    }

    [Fact]
    public async Task RunAsync_ToolOutlivesItsTimeout_KillsItAndThrowsNamingIt()
    {
        var pidFile = Path.Combine(_folder, "tool.pid");
        var watch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<FabricException>(() =>
            CommandRunner.RunAsync("/bin/sh", ["-c", $"echo $$ > {pidFile}; exec sleep 300"], null, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Bound));

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Contains("exec sleep 300", failure.Message, StringComparison.Ordinal);
        Assert.Contains("did not finish within 1 s", failure.Message, StringComparison.Ordinal);
        Assert.True(await EndedAsync(ReadPid(pidFile)), "the timed-out tool still runs");
    }

    [Fact]
    public async Task RunAsync_ToolNeverReadsItsInput_TimesOutInsteadOfBlockingOnTheWrite()
    {
        // More than a pipe holds: the write blocks until the tool reads, which it never does.
        var input = new string('x', 1 << 20);

        var failure = await Assert.ThrowsAsync<FabricException>(() =>
            CommandRunner.RunAsync("sleep", ["300"], input, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Bound));

        Assert.Contains("sleep 300", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ToolExitsWithoutReadingItsInput_ReportsItsExit()
    {
        var result = await CommandRunner.RunAsync("/bin/sh", ["-c", "echo refused >&2; exit 4"], new string('x', 1 << 20)).WaitAsync(Bound);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("refused\n", result.Error);
    }

    private static int ReadPid(string pidFile) => int.Parse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Gone, or a zombie its parent has yet to reap, within the bound.</summary>
    private static async Task<bool> EndedAsync(int pid)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Bound)
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static void KillFromFile(string pidFile)
    {
        if (!File.Exists(pidFile))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(ReadPid(pidFile));
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }
}
