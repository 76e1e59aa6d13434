using System.Diagnostics;
using System.Globalization;

namespace Cloister.Gateway.Bench;

/// <summary>The nginx master process started for the baseline; stopped by its own id.</summary>
internal sealed record Nginx(Process Process, int Port)
{
    /// <summary>CPU time of the master and its workers (children), from /proc.</summary>
    public TimeSpan Cpu()
    {
        var ticks = 0L;
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            var name = Path.GetFileName(folder);
            if (!int.TryParse(name, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == Process.Id || parent == Process.Id)
                {
                    // utime and stime, fields 14 and 15 of the line, in clock ticks of 10 ms.
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public void Stop()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
