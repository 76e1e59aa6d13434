using System.Globalization;

namespace Cloister.Tables.Bench;

/// <summary>Throughput, latency percentiles, the process's CPU time per operation and the JIT's time of one measured phase.</summary>
public sealed record LoadResult(string Name, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms, long Errors, TimeSpan Cpu, TimeSpan Jit = default)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>CPU time of this process (both cores) per operation, in microseconds.</summary>
    public double CpuMicrosecondsPerOperation => Operations == 0 ? 0 : Cpu.TotalMicroseconds / Operations;

    public string ToRow() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {PerSecond:N0} | {P50Ms:F2} | {P99Ms:F2} | {CpuMicrosecondsPerOperation:F1} | {Jit.TotalMilliseconds:N0} | {Operations:N0} | {Errors} |");
}
