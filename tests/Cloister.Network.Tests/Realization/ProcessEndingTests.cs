using System.Diagnostics;
using System.Globalization;
using Cloister.Network.Realization;

namespace Cloister.Network.Tests.Realization;

public sealed class ProcessEndingTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-process-ending-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task KillAsync_DescendantHoldsTheOutput_KillsItTooAndTheOutputEnds()
    {
        using var process = StartReadingOutput("sleep 300 & wait");

        Assert.True(await KillAsync(process, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task KillAsync_ProcessOutsideTheTreeHoldsTheOutput_GivesUpAfterTheWait()
    {
        // setsid's double fork leaves the sleep to the machine's init: no kill of the tree reaches it, and it keeps
        // the output open, so waiting for the output's end would never end.
        var pidFile = Path.Combine(_folder, "stray.pid");
        using var process = StartReadingOutput($"(setsid sh -c 'echo $$ > {pidFile}; exec sleep 300' &); exec sleep 300");
        try
        {
            await WaitForFileAsync(pidFile);
            var watch = Stopwatch.StartNew();

            Assert.False(await KillAsync(process, TimeSpan.FromSeconds(1)));
            Assert.True(process.HasExited);
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }
        finally
        {
            if (File.Exists(pidFile))
            {
                using var stray = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture));
                stray.Kill();
            }
        }
    }

    private static Task<bool> KillAsync(Process process, TimeSpan wait) => ProcessEnding.KillAsync(process, wait).WaitAsync(Bound);

    private static Process StartReadingOutput(string script)
    {
        var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForFileAsync(string path)
    {
        var watch = Stopwatch.StartNew();
        while (!(File.Exists(path) && File.ReadAllText(path).EndsWith('\n')) && watch.Elapsed < Bound)
        {
            await Task.Delay(20);
        }

        Assert.True(File.Exists(path), $"{path} was never written");
    }
}
