using System.Globalization;

namespace Cloister.Tables.Bench;

/// <summary>Throughput and latency percentiles of one measured phase.</summary>
public sealed record LoadResult(string Name, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms, long Errors)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public string ToRow() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {PerSecond:N0} | {P50Ms:F2} | {P99Ms:F2} | {Operations:N0} | {Errors} |");
}
