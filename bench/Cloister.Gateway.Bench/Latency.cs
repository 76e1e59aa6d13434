using System.Diagnostics;

namespace Cloister.Gateway.Bench;

/// <summary>Latency over one keep-alive HTTPS connection, one request at a time, after 500 warm-up requests.</summary>
internal static class Latency
{
    public static async Task<(double P50, double P99)> MeasureAsync(string url, int count, string thumbprint, string host = BenchApis.Host, (string Name, string Value)? header = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint;
        using var client = new HttpClient(handler);
        var times = new double[count];
        for (var i = -500; i < count; i++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            message.Headers.Host = host;
            if (header is { } extra)
            {
                message.Headers.TryAddWithoutValidation(extra.Name, extra.Value);
            }

            var start = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(message);
            await response.Content.ReadAsByteArrayAsync();
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            response.EnsureSuccessStatusCode();
        }

        Array.Sort(times);
        return (times[count / 2], times[(int)(count * 0.99)]);
    }
}
