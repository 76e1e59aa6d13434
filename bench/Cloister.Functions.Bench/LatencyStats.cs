using System.Globalization;

namespace Cloister.Functions.Bench;

/// <summary>Percentiles of a set of samples, in milliseconds.</summary>
internal sealed record LatencyStats(double P50, double P90, double P99, double Mean, int Count)
{
    public static LatencyStats Of(List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Floor(q * samples.Count))];
        return new LatencyStats(At(0.50), At(0.90), At(0.99), samples.Average(), samples.Count);
    }

    public string Row(string name) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {name} | {Count} | {P50:0.000} | {P90:0.000} | {P99:0.000} | {Mean:0.000} |");
}
