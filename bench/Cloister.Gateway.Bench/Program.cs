using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using Cloister.Gateway;
using Cloister.Gateway.Bench;
using Cloister.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

// Gateway benchmark (issue 8): MOCK over HTTPS keep-alive against nginx returning 200 over HTTPS, in the same
// run; and the gateway's added latency over calling the function directly. Loopback only.
// As the stack host runs (HostLauncher): socket completions run on the socket engine's thread. Read once, before the
// first socket; DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 in the environment measures without it.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var duration = Argument("--duration", 10);
var connections = Argument("--connections", 32);
var threads = Argument("--threads", 2);
var samples = Argument("--samples", 5000);
if (args.Contains("templates"))
{
    return await TemplateBench.RunAsync(samples, Argument("--rounds", 5));
}

var work = Directory.CreateTempSubdirectory("cloister-gateway-bench-");
var certificate = BenchApis.Certificate();
var gatewayAddress = IPAddress.Parse("127.0.0.20");
var baselineAddress = IPAddress.Parse("127.0.0.22");

await using var gateway = await GatewayServer.StartAsync(
    new GatewayOptions
    {
        Certificate = certificate,
        Listeners = [new GatewayListener(BenchApis.Vpce, BenchApis.Vpc, new IPEndPoint(gatewayAddress, 0))],
        Lambda = new FixedFunction(),
        State = new StatePaths(work.FullName),

        // The benchmark drives more than API Gateway's 10,000 requests a second; the account bucket is still taken on every request.
        AccountThrottle = BenchApis.Unreachable,
    },
    BenchApis.Model());
var gatewayPort = gateway.PortOf(gatewayAddress);
await using var direct = await StartDirectAsync(certificate, baselineAddress);
var directPort = new Uri(direct.Urls.First()).Port;

Console.WriteLine($"# Cloister.Gateway benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
if (!args.Contains("--access-only"))
{
    Console.WriteLine($"wrk -t{threads} -c{connections} -d{duration}s, keep-alive, TLS 1.3 on loopback");
}

if (args.Contains("--access-only"))
{
    await MeasureAccessAsync();
    work.Delete(recursive: true);
    return 0;
}

var nginx = StartNginx(work.FullName, certificate);
try
{
    // Warm the three servers (JIT and tiering, TLS session setup) before measuring.
    await RunWrkAsync($"https://{gatewayAddress}:{gatewayPort}/dev/health", 3, threads, connections, OwnCpu, inProcess: true);
    await RunWrkAsync($"https://127.0.0.21:{nginx.Port}/", 2, threads, connections, nginx.Cpu, inProcess: false);
    await RunWrkAsync($"https://{baselineAddress}:{directPort}/fn", 3, threads, connections, OwnCpu, inProcess: true);
    // Under contention from other work on the machine, one run of each is noise; interleave rounds and keep each one's median.
    var rounds = Argument("--rounds", 3);
    var gatewayRuns = new List<WrkRun>();
    var nginxRuns = new List<WrkRun>();
    var kestrelRuns = new List<WrkRun>();
    for (var round = 0; round < rounds; round++)
    {
        gatewayRuns.Add(await RunWrkAsync($"https://{gatewayAddress}:{gatewayPort}/dev/health", duration, threads, connections, OwnCpu, inProcess: true));
        nginxRuns.Add(await RunWrkAsync($"https://127.0.0.21:{nginx.Port}/", duration, threads, connections, nginx.Cpu, inProcess: false));
        kestrelRuns.Add(await RunWrkAsync($"https://{baselineAddress}:{directPort}/fn", duration, threads, connections, OwnCpu, inProcess: true));
    }

    var gatewayRps = Median(gatewayRuns);
    var nginxRps = Median(nginxRuns);
    var kestrelRps = Median(kestrelRuns);
    Console.WriteLine($"rounds       : {rounds}, medians; gateway runs {string.Join(" ", gatewayRuns.Select(r => r.Rps.ToString("F0", CultureInfo.InvariantCulture)))}, nginx runs {string.Join(" ", nginxRuns.Select(r => r.Rps.ToString("F0", CultureInfo.InvariantCulture)))}");
    Console.WriteLine($"gateway MOCK : {gatewayRps.Rps,10:F0} req/s  p50 {gatewayRps.P50}  p99 {gatewayRps.P99}  server CPU {MedianOf(gatewayRuns, r => r.CpuUsPerRequest):F1} us/req  {MedianOf(gatewayRuns, r => r.BytesPerRequest!.Value):F0} B/req");
    Console.WriteLine($"nginx 200    : {nginxRps.Rps,10:F0} req/s  p50 {nginxRps.P50}  p99 {nginxRps.P99}  server CPU {MedianOf(nginxRuns, r => r.CpuUsPerRequest):F1} us/req");
    Console.WriteLine($"bare Kestrel : {kestrelRps.Rps,10:F0} req/s  p50 {kestrelRps.P50}  p99 {kestrelRps.P99}  server CPU {MedianOf(kestrelRuns, r => r.CpuUsPerRequest):F1} us/req  {MedianOf(kestrelRuns, r => r.BytesPerRequest!.Value):F0} B/req  (same TLS server, no gateway)");
    Console.WriteLine($"CPU ratio    : nginx needs {MedianOf(nginxRuns, r => r.CpuUsPerRequest) / MedianOf(gatewayRuns, r => r.CpuUsPerRequest):F2}x the gateway's CPU per request (>= 0.80 means the gateway could serve >= 0.8x nginx's rate on equal cores)");
    Console.WriteLine($"ratio        : {gatewayRps.Rps / nginxRps.Rps:F2}x nginx (target >= 0.80x), {gatewayRps.Rps / kestrelRps.Rps:F2}x bare Kestrel");
}
finally
{
    nginx.Stop();
}

if (args.Contains("--throughput-only"))
{
    work.Delete(recursive: true);
    return 0;
}

// Latency: one keep-alive connection, one request at a time; the baseline is the same HTTPS transport (Kestrel)
// calling the same function directly, so the difference is what the gateway adds.
var viaGateway = await MeasureAsync($"https://{gatewayAddress}:{gatewayPort}/dev/fn", samples, certificate.Thumbprint);
var viaDirect = await MeasureAsync($"https://{baselineAddress}:{directPort}/fn", samples, certificate.Thumbprint);
Console.WriteLine($"latency p50  : gateway AWS_PROXY {viaGateway.P50 * 1000:F1} us, direct call {viaDirect.P50 * 1000:F1} us, added {(viaGateway.P50 - viaDirect.P50) * 1000:F1} us (target <= 200 us)");
Console.WriteLine($"latency p99  : gateway AWS_PROXY {viaGateway.P99 * 1000:F1} us, direct call {viaDirect.P99 * 1000:F1} us");
await MeasureAccessAsync();
work.Delete(recursive: true);
return 0;

// Access control (issue 9): the same MOCK method plain, behind API key + usage plan + stage throttles, and behind a
// cached TOKEN authorizer; rounds interleaved (and rotated) so contention hits all three alike, medians of the rounds' p50s.
async Task MeasureAccessAsync()
{
    var url = $"https://{gatewayAddress}:{gatewayPort}/dev/";
    var rounds = Argument("--access-rounds", 31);
    var plain = new List<(double P50, double P99)>();
    var throttled = new List<(double P50, double P99)>();
    var authorized = new List<(double P50, double P99)>();
    for (var round = 0; round < rounds; round++)
    {
        // Each round starts with a different path, so drifts in machine load do not favour one of them.
        for (var turn = 0; turn < 3; turn++)
        {
            switch ((round + turn) % 3)
            {
                case 0:
                    plain.Add(await MeasureAsync(url + "health", samples, certificate.Thumbprint));
                    break;
                case 1:
                    throttled.Add(await MeasureAsync(url + "throttled", samples, certificate.Thumbprint, ("x-api-key", BenchApis.ApiKeyValue)));
                    break;
                default:
                    authorized.Add(await MeasureAsync(url + "authorized", samples, certificate.Thumbprint, ("Authorization", "Bearer bench-token")));
                    break;
            }
        }
    }

    static double P50(List<(double P50, double P99)> runs) => runs.Select(r => r.P50).Order().ElementAt(runs.Count / 2);
    static double P99(List<(double P50, double P99)> runs) => runs.Select(r => r.P99).Order().ElementAt(runs.Count / 2);

    // Paired by round: each round's p50 against the same round's plain p50, so drifts in load cancel out.
    double Added(List<(double P50, double P99)> runs) => runs.Select((r, i) => (r.P50 - plain[i].P50) / plain[i].P50 * 100).Order().ElementAt(runs.Count / 2);
    var baseline = P50(plain);
    Console.WriteLine($"access       : {rounds} rotated rounds of {samples} sequential requests on one keep-alive connection each; medians of the rounds' p50/p99, added = median of per-round differences");
    Console.WriteLine($"MOCK plain   : p50 {baseline * 1000:F1} us  p99 {P99(plain) * 1000:F1} us");
    Console.WriteLine($"MOCK + key, usage plan, quota, stage and account throttles: p50 {P50(throttled) * 1000:F1} us  p99 {P99(throttled) * 1000:F1} us  added {Added(throttled):F1}% (target < 10%)");
    Console.WriteLine($"MOCK + TOKEN authorizer, cache hit: p50 {P50(authorized) * 1000:F1} us  p99 {P99(authorized) * 1000:F1} us  added {Added(authorized):F1}% (target < 10%)");
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static WrkRun Median(List<WrkRun> runs) => runs.OrderBy(r => r.Rps).ElementAt(runs.Count / 2);

static double MedianOf(List<WrkRun> runs, Func<WrkRun, double> value) => runs.Select(value).Order().ElementAt(runs.Count / 2);

static TimeSpan OwnCpu() => Process.GetCurrentProcess().TotalProcessorTime;

static async Task<WebApplication> StartDirectAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, IPAddress address)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseKestrelHttpsConfiguration();
    builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
    builder.WebHost.ConfigureKestrel(k =>
    {
        k.AddServerHeader = false;
        k.Listen(address, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(certificate, https => https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13);
        });
    });
    var app = builder.Build();
    var function = new FixedFunction();
    var payload = """{"httpMethod":"GET","path":"/fn"}"""u8.ToArray();
    app.Run(async context =>
    {
        var result = await function.InvokeAsync(BenchApis.FunctionArn, payload, Cloister.Gateway.Ports.LambdaInvocationType.RequestResponse, null, context.RequestAborted);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = FixedFunction.Body.Length;
        await context.Response.Body.WriteAsync(FixedFunction.Body);
        GC.KeepAlive(result);
    });
    await app.StartAsync();
    return app;
}

static Task<(double P50, double P99)> MeasureAsync(string url, int count, string thumbprint, (string Name, string Value)? header = null) =>
    Latency.MeasureAsync(url, count, thumbprint, BenchApis.Host, header);

static async Task<WrkRun> RunWrkAsync(string url, int seconds, int threads, int connections, Func<TimeSpan> serverCpu, bool inProcess)
{
    var cpuBefore = serverCpu();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var start = new ProcessStartInfo("wrk")
    {
        ArgumentList = { $"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Host: {BenchApis.Host}", url },
        RedirectStandardOutput = true,
    };
    using var wrk = Process.Start(start)!;
    var output = await wrk.StandardOutput.ReadToEndAsync();
    await wrk.WaitForExitAsync();
    var cpu = serverCpu() - cpuBefore;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var requests = Regex.Match(output, @"(\d+) requests in");
    var rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)");
    var errors = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)");
    if (!rps.Success || errors.Success)
    {
        throw new InvalidOperationException("wrk failed or saw errors:\n" + output);
    }

    return new WrkRun(
        double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
        Regex.Match(output, @"^\s+50%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value,
        Regex.Match(output, @"^\s+99%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value,
        cpu.TotalMicroseconds / double.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
        inProcess ? allocated / double.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : null);
}

static Nginx StartNginx(string folder, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
{
    var certificateFile = Path.Combine(folder, "nginx.pem");
    var keyFile = Path.Combine(folder, "nginx.key");
    File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
    File.WriteAllText(keyFile, System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPrivateKey(certificate)!.ExportPkcs8PrivateKeyPem());
    using var probe = new System.Net.Sockets.TcpListener(IPAddress.Parse("127.0.0.21"), 0);
    probe.Start();
    var port = ((IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
    var config = Path.Combine(folder, "nginx.conf");
    File.WriteAllText(config, $$"""
        worker_processes auto;
        daemon off;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/nginx-error.log error;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path {{folder}}/body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            keepalive_requests 1000000;
            server {
                listen 127.0.0.21:{{port}} ssl;
                ssl_certificate {{certificateFile}};
                ssl_certificate_key {{keyFile}};
                ssl_protocols TLSv1.2 TLSv1.3;
                location / { default_type application/json; return 200 '{"ok":true}'; }
            }
        }
        """);
    var process = Process.Start(new ProcessStartInfo("nginx", ["-c", config, "-p", folder]) { RedirectStandardError = true })!;
    var deadline = DateTime.UtcNow.AddSeconds(10);
    while (true)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(IPAddress.Parse("127.0.0.21"), port);
            break;
        }
        catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
        {
            Thread.Yield();
        }
    }

    return new Nginx(process, port);
}
