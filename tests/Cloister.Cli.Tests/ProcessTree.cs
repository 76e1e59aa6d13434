using System.Diagnostics;
using System.Globalization;

namespace Cloister.Cli.Tests;

/// <summary>Processes a test's script started, by the pids it wrote to a file, and whether they have ended.</summary>
internal static class ProcessTree
{
    /// <summary>The three pids written to <paramref name="file"/>, once they are; fails when <paramref name="owner"/> ends first.</summary>
    public static async Task<List<int>> WrittenAsync(string file, Process owner)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!owner.HasExited && DateTime.UtcNow < deadline)
        {
            var pids = File.Exists(file) ? File.ReadAllText(file).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries) : [];
            if (pids.Length == 3)
            {
                return [.. pids.Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"No three pids in {file} (the command {(owner.HasExited ? $"exited with {owner.ExitCode}" : "still runs")}).");
    }

    /// <summary>Those of <paramref name="pids"/> still running after up to 10 s (a zombie nobody reaped has ended).</summary>
    public static async Task<List<int>> StillRunningAsync(IReadOnlyList<int> pids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<int> running = [.. pids];
        while (running.Count > 0 && DateTime.UtcNow < deadline)
        {
            running.RemoveAll(pid => !IsRunning(pid));
            if (running.Count > 0)
            {
                await Task.Delay(50);
            }
        }

        return running;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
