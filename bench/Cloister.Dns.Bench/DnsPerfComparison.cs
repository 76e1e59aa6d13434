using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Dns;
using Cloister.Model.Network;

namespace Cloister.Dns.Bench;

/// <summary>
/// dnsperf against Cloister's resolver answering a private hosted zone and against unbound serving the same
/// names as local-data, in the same run, both on loopback. Prints queries per second, average latency and a
/// p99 measured at a fixed offered load.
/// </summary>
internal static class DnsPerfComparison
{
    private const string VpcId = "vpc-0b0b0b0b0b0b0b0b0";
    private const string Zone = "bench.internal";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var names = Option(args, "--names", 1000);
        var clients = Option(args, "--clients", 4);
        var latencyQps = Option(args, "--latency-qps", 2000);
        var rounds = Option(args, "--rounds", 3);
        var work = Directory.CreateTempSubdirectory("cloister-dns-bench-");
        try
        {
            var queries = Path.Combine(work.FullName, "queries.txt");
            await File.WriteAllLinesAsync(queries, Enumerable.Range(0, names).Select(i => $"host{i}.{Zone} A"));

            await using var service = new DnsService();
            service.Apply(Model(names));
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.ReceiveBufferSize = 4 * 1024 * 1024;
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var cloisterPort = ((IPEndPoint)udp.LocalEndPoint!).Port;
            await using var listener = service.StartVpcResolver(VpcId, udp, null);

            var unboundPort = FreeUdpPort();
            using var unbound = StartUnbound(work.FullName, unboundPort, names);
            try
            {
                await WaitUntilAnswering(unboundPort);
                await WaitUntilAnswering(cloisterPort);

                // Warm both (JIT tiering for Cloister, caches for unbound) before measuring.
                await DnsPerf(queries, cloisterPort, 3, clients, null);
                await DnsPerf(queries, unboundPort, 3, clients, null);

                var servers = new[] { ("unbound 1.17 (local-data)", unboundPort), ("Cloister.Dns (private zone)", cloisterPort) };
                var runs = servers.ToDictionary(s => s.Item1, _ => new List<(Result Throughput, Result Latency)>());
                for (var round = 0; round < rounds; round++)
                {
                    // Interleaved so both servers see the same background load from the rest of the machine.
                    foreach (var (server, port) in servers)
                    {
                        var throughput = await DnsPerf(queries, port, seconds, clients, null);
                        var latency = await DnsPerf(queries, port, Math.Max(2, seconds / 2), 1, latencyQps);
                        runs[server].Add((throughput, latency));
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {server}: {throughput.Qps:N0} q/s, p99 {latency.P99Ms:F3} ms"));
                    }
                }

                var report = new StringBuilder();
                report.AppendLine(CultureInfo.InvariantCulture, $"dnsperf {seconds}s x {rounds} rounds (interleaved; medians), {clients} clients, {names} names, loopback, {Environment.ProcessorCount} cores; latency at {latencyQps} qps offered");
                report.AppendLine("| server | queries/s (median) | queries/s per round | avg latency (saturated) | p50 / p99 latency (fixed load) | lost |");
                report.AppendLine("| --- | ---: | --- | ---: | ---: | ---: |");
                var medians = new Dictionary<string, double>();
                foreach (var (server, _) in servers)
                {
                    var list = runs[server];
                    var qps = Median(list.Select(r => r.Throughput.Qps));
                    medians[server] = qps;
                    var perRound = string.Join(", ", list.Select(r => r.Throughput.Qps.ToString("N0", CultureInfo.InvariantCulture)));
                    report.AppendLine(CultureInfo.InvariantCulture, $"| {server} | {qps:N0} | {perRound} | {Median(list.Select(r => r.Throughput.AverageMs)):F3} ms | {Median(list.Select(r => r.Latency.P50Ms)):F3} / {Median(list.Select(r => r.Latency.P99Ms)):F3} ms | {list.Sum(r => r.Throughput.Lost)} |");
                }

                report.AppendLine(CultureInfo.InvariantCulture, $"Cloister / unbound throughput (medians): {medians[servers[1].Item1] / medians[servers[0].Item1]:F2}x");
                Console.Write(report.ToString());
                return 0;
            }
            finally
            {
                if (!unbound.HasExited)
                {
                    unbound.Kill();
                    await unbound.WaitForExitAsync();
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static CloudModel Model(int names) => new()
    {
        Vpcs = [new Vpc(VpcId, "Bench", "10.0.0.0/16", true, true)],
        HostedZones =
        [
            new HostedZone("ZBENCH", "Bench", Zone, true, [VpcId], [.. Enumerable.Range(0, names).Select(i => new RecordSet($"host{i}.{Zone}", "A", 300, [Address(i)]))]),
        ],
    };

    private static string Address(int i) => $"10.0.{i / 250}.{(i % 250) + 1}";

    private static Process StartUnbound(string folder, int port, int names)
    {
        var config = new StringBuilder();
        config.AppendLine("server:");
        config.AppendLine(CultureInfo.InvariantCulture, $"  interface: 127.0.0.1");
        config.AppendLine(CultureInfo.InvariantCulture, $"  port: {port}");
        config.AppendLine("  do-daemonize: no");
        config.AppendLine("  username: \"\"");
        config.AppendLine("  chroot: \"\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"  directory: \"{folder}\"");
        config.AppendLine("  pidfile: \"\"");
        config.AppendLine("  use-syslog: no");
        config.AppendLine("  logfile: \"\"");
        config.AppendLine("  verbosity: 0");
        config.AppendLine(CultureInfo.InvariantCulture, $"  num-threads: {Environment.ProcessorCount}");
        config.AppendLine("  so-reuseport: yes");
        config.AppendLine("  do-ip6: no");
        config.AppendLine("  do-tcp: no");
        config.AppendLine("  access-control: 127.0.0.0/8 allow");
        config.AppendLine("  module-config: \"iterator\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"  local-zone: \"{Zone}.\" static");
        for (var i = 0; i < names; i++)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"  local-data: \"host{i}.{Zone}. 300 IN A {Address(i)}\"");
        }

        config.AppendLine("remote-control:");
        config.AppendLine("  control-enable: no");
        var path = Path.Combine(folder, "unbound.conf");
        File.WriteAllText(path, config.ToString());
        var start = new ProcessStartInfo("unbound", ["-d", "-c", path]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        return Process.Start(start) ?? throw new InvalidOperationException("cannot start unbound");
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task WaitUntilAnswering(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(IPAddress.Loopback, port);
        var query = new byte[512];
        DnsMessage.CreateQuery(1, $"host0.{Zone}", DnsRecordType.A).TryWrite(query, out var length);
        var answer = new byte[1500];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            await socket.SendAsync(query.AsMemory(0, length), SocketFlags.None);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                if (await socket.ReceiveAsync(answer, SocketFlags.None, wait.Token) > 0)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"nothing answers on 127.0.0.1:{port}");
    }

    private static async Task<Result> DnsPerf(string queries, int port, int seconds, int clients, int? qps)
    {
        var arguments = new List<string> { "-s", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-d", queries, "-l", seconds.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture), "-q", "200" };
        if (qps is not null)
        {
            arguments.AddRange(["-Q", qps.Value.ToString(CultureInfo.InvariantCulture), "-v"]);
            arguments[arguments.IndexOf("200")] = "20";
        }

        var start = new ProcessStartInfo("dnsperf", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dnsperf");
        var latencies = new List<double>();
        var summary = new StringBuilder();
        var errors = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("> ", StringComparison.Ordinal))
            {
                var last = line[(line.LastIndexOf(' ') + 1)..];
                if (double.TryParse(last, NumberStyles.Float, CultureInfo.InvariantCulture, out var latency))
                {
                    latencies.Add(latency);
                }
            }
            else
            {
                summary.AppendLine(line);
            }
        }

        await process.WaitForExitAsync();
        await errors;
        var text = summary.ToString();
        latencies.Sort();
        return new Result(
            Number(text, "Queries per second:"),
            Number(text, "Average Latency (s):") * 1000,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Count,
            (long)Number(text, "Queries lost:"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * fraction) - 1)] * 1000;

    private static double Number(string text, string label)
    {
        var at = text.IndexOf(label, StringComparison.Ordinal);
        if (at < 0)
        {
            return double.NaN;
        }

        var rest = text[(at + label.Length)..].TrimStart();
        var end = 0;
        while (end < rest.Length && (char.IsAsciiDigit(rest[end]) || rest[end] == '.'))
        {
            end++;
        }

        return double.Parse(rest.AsSpan(0, end), CultureInfo.InvariantCulture);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Result(double Qps, double AverageMs, double P50Ms, double P99Ms, int Samples, long Lost);
}
