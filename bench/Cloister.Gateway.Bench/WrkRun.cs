namespace Cloister.Gateway.Bench;

/// <summary>One wrk run: rate, latency percentiles, the server's CPU time per request and, for a server in this process, bytes allocated per request.</summary>
internal sealed record WrkRun(double Rps, string P50, string P99, double CpuUsPerRequest, double? BytesPerRequest);
