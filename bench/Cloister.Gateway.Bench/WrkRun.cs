namespace Cloister.Gateway.Bench;

/// <summary>One wrk run: rate, latency percentiles, and the server's CPU time per request.</summary>
internal sealed record WrkRun(double Rps, string P50, string P99, double CpuUsPerRequest);
