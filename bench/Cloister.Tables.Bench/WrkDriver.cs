using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cloister.Tables.Bench;

/// <summary>
/// Drives the service with wrk (C, epoll) and a Lua script sending the same signed JSON requests the
/// SDK sends: a light client, so the service's own capacity shows on two shared cores. The CPU time
/// recorded is this process's, which during a wrk phase is the service's alone.
/// </summary>
public static partial class WrkDriver
{
    /// <summary>What an SDK sends besides the body; the signature is never checked unless verification is configured.</summary>
    private const string Headers = """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
        wrk.headers["X-Amz-Date"] = "20261122T060000Z"
        wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261122/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        local thread_count = 0
        function setup(thread)
          thread:set("id", thread_count)
          thread_count = thread_count + 1
        end
        counter = 0
        """;

    public static bool Available => File.Exists("/usr/bin/wrk");

    /// <summary>GetItem of keys <c>k-{worker}-{n}</c> with worker &lt; workers and n &lt; written.</summary>
    public static Task<LoadResult> GetItemAsync(Uri url, int connections, TimeSpan duration, int workers, long written) => RunAsync(
        "GetItem via wrk (no SDK)",
        url,
        connections,
        duration,
        Script(
            "GetItem",
            $"\"k-\" .. (counter % {workers}) .. \"-\" .. (math.floor(counter / {workers}) % {written})",
            """'{"TableName":"bench","Key":{"PK":{"S":"' .. key .. '"}}}'"""));

    /// <summary>PutItem of new keys <c>wrk-{thread}-{n}</c>, the same item shape as the SDK phase.</summary>
    public static Task<LoadResult> PutItemAsync(Uri url, int connections, TimeSpan duration, string payload) => RunAsync(
        "PutItem via wrk (no SDK, durable)",
        url,
        connections,
        duration,
        Script(
            "PutItem",
            "\"wrk-\" .. id .. \"-\" .. counter",
            $$$$"""'{"TableName":"bench","Item":{"PK":{"S":"' .. key .. '"},"payload":{"S":"{{{{payload}}}}"},"n":{"N":"42"}}}'"""));

    /// <summary>A Lua script whose requests call <paramref name="operation"/> with a body built from a per-request key.</summary>
    private static string Script(string operation, string keyExpression, string bodyExpression) => Headers + $"""

        wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.{operation}"
        request = function()
          counter = counter + 1
          local key = {keyExpression}
          return wrk.format(nil, nil, nil, {bodyExpression})
        end
        """;

    private static async Task<LoadResult> RunAsync(string name, Uri url, int connections, TimeSpan duration, string script)
    {
        var path = Path.Combine(Path.GetTempPath(), "cloister-bench-" + Guid.NewGuid().ToString("N") + ".lua");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var start = new ProcessStartInfo("wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList = { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", path, url.ToString() },
            };
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            using var wrk = Process.Start(start)!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var requests = RequestsPattern().Match(output);
            if (wrk.ExitCode != 0 || !requests.Success)
            {
                throw new InvalidOperationException("wrk failed:\n" + output + await wrk.StandardError.ReadToEndAsync());
            }

            var errors = NonSuccessPattern().Match(output) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return new LoadResult(
                name,
                long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(requests.Groups[2].Value, CultureInfo.InvariantCulture)),
                Milliseconds(output, "50%"),
                Milliseconds(output, "99%"),
                errors,
                cpu);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Milliseconds(string output, string percentile)
    {
        var match = Regex.Match(output, Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\b", RegexOptions.None, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)s")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessPattern();
}
