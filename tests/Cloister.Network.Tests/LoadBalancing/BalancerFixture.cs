using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Cloister.Certificates;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.WebSockets;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// The balancer topology running: a sandbox whose hosts trust a test CA, a small Python HTTP server started as each
/// web instance (answering with its name; <c>{peer}</c> in it stands for the address the server sees), an HTTPS server on each IP target's ENI that answers like a private API
/// endpoint (403 at <c>/test/hello</c> without the custom name; <c>/header/{characters}</c> sends a response header that long; <c>/slow/{milliseconds}</c> answers that much later, <c>/trickle/{milliseconds}</c> pauses that long mid-body), and the load balancers. Everything is torn down even
/// when a test or the start fails.
/// </summary>
public sealed class BalancerFixture : IAsyncLifetime
{
    private const string WebServer = """
        import http.server, sys
        name = sys.argv[2]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"
            def do_GET(self):
                body = name.replace("{peer}", self.client_address[0]).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
        """;

    private readonly Dictionary<string, Process> _webServers = [];
    private readonly List<WebApplication> _apiServers = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cloister-lb-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<int, int> _slowInFlight = [];

    public Sandbox Sandbox { get; private set; } = null!;

    public SandboxCertificateAuthority Authority { get; private set; } = null!;

    public LoadBalancerService Balancers { get; private set; } = null!;

    /// <summary>The load balancers' clock: a test moves it ahead to cross a timeout of minutes at once (and back after).</summary>
    internal ShiftedTime Clock { get; } = new();

    /// <summary>How many <c>/slow/{milliseconds}</c> requests the IP targets' servers hold now.</summary>
    public int SlowRequestsInFlight(int milliseconds)
    {
        lock (_slowInFlight)
        {
            return _slowInFlight.GetValueOrDefault(milliseconds);
        }
    }

    public async Task InitializeAsync()
    {
        try
        {
            await SandboxFixture.RemoveOrphansAsync();
            Authority = SandboxCertificateAuthority.LoadOrCreate(Path.Combine(_folder, "ca"));
            Sandbox = await Sandbox.StartAsync(BalancerTopology.Build(), new SandboxOptions(SandboxFixture.NewPrefix(), Path.Combine(_folder, "runtime"), Authority.BundlePath));
            StartWebServer("web1");
            StartWebServer("web2");
            StartWebServer("web3");
            StartWebServer("web4");
            StartWebServer("echo", BalancerTopology.WebPort, "echo {peer}");
            StartWebServer("echo", BalancerTopology.WebPort + 1, "echo-vpc {peer}");
            await StartApiServerAsync("api1");
            await StartApiServerAsync("api2");
            Balancers = await LoadBalancerService.StartAsync(Sandbox.Model, Sandbox, c => Authority.Issue([c.DomainName, .. c.SubjectAlternativeNames]), time: Clock);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public HostPlan Host(string name) => Sandbox.FindHost(name)!;

    /// <summary>Starts (or restarts) the web server process on an instance.</summary>
    public void StartWebServer(string host) => StartWebServer(host, BalancerTopology.WebPort, host);

    /// <summary>Starts (or restarts) a web server answering <paramref name="name"/> on <paramref name="port"/> of an instance; <see cref="StopWebServer"/> takes the name.</summary>
    public void StartWebServer(string host, int port, string name)
    {
        StopWebServer(name);
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(WebServer);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(name);
        _webServers[name] = Sandbox.StartOn(Host(host), start);
    }

    public void StopWebServer(string host)
    {
        if (_webServers.Remove(host, out var process))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public TargetHealthState? StateOf(string targetGroupName, string target) =>
        Balancers.TargetHealth.FirstOrDefault(t => t.TargetGroupArn.Contains("/" + targetGroupName + "/", StringComparison.Ordinal) && t.Target == target)?.State;

    /// <summary>Whether every node of the group's load balancer finds <paramref name="target"/> in <paramref name="state"/>.</summary>
    public bool EveryNodeSees(string targetGroupName, string target, TargetHealthState state)
    {
        var views = Balancers.TargetHealthByNode.Where(t => t.Target.TargetGroupArn.Contains("/" + targetGroupName + "/", StringComparison.Ordinal) && t.Target.Target == target).ToList();
        return views.Count > 0 && views.All(v => v.Target.State == state);
    }

    public async Task DisposeAsync()
    {
        if (Balancers is not null)
        {
            await Balancers.DisposeAsync();
        }

        foreach (var server in _apiServers)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }

        foreach (var host in _webServers.Keys.ToList())
        {
            StopWebServer(host);
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        Authority?.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void CountSlow(int milliseconds, int change)
    {
        lock (_slowInFlight)
        {
            _slowInFlight[milliseconds] = _slowInFlight.GetValueOrDefault(milliseconds) + change;
        }
    }

    /// <summary>A WebSocket's messages answered with the server's name, the X-Forwarded-For it was opened with and the message.</summary>
    private static async Task EchoWebSocketAsync(HttpContext context, string host)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                var reply = Encoding.UTF8.GetBytes($"{host} xff={forwarded} {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                await socket.SendAsync(reply, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The load balancer or the client went away.
        }
    }

    private async Task StartApiServerAsync(string host)
    {
        var socket = Sandbox.OpenTcpListener(IPAddress.Parse(Host(host).Address), 443);
        var certificate = Authority.Issue([BalancerTopology.CustomName]);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Past the load balancer's own sizes, so that what it forwards is what the target takes.
            k.Limits.MaxRequestLineSize = 64 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
            k.Limits.MinRequestBodyDataRate = null;
            k.ListenHandle((ulong)socket.Handle, l => l.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate }));
        });
        builder.Services.AddWebSockets(_ => { });
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            var request = context.Request;
            if (context.WebSockets.IsWebSocketRequest)
            {
                await EchoWebSocketAsync(context, host);
                return;
            }

            if (request.Path == "/test/hello" && request.Host.Host != BalancerTopology.CustomName)
            {
                context.Response.StatusCode = 403;
                return;
            }

            // /slow/{milliseconds} answers after that long: a request in flight the load balancer may cut.
            if (request.Path.StartsWithSegments("/slow", out var rest) && int.TryParse(rest.Value?.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture, out var milliseconds))
            {
                CountSlow(milliseconds, +1);
                try
                {
                    await Task.Delay(milliseconds, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                finally
                {
                    CountSlow(milliseconds, -1);
                }
            }

            // /header/{characters} answers with a response header that long.
            if (request.Path.StartsWithSegments("/header", out var length) && int.TryParse(length.Value?.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture, out var characters))
            {
                context.Response.Headers["X-Long"] = new string('r', characters);
                await context.Response.WriteAsync("long header");
                return;
            }

            // /trickle/{milliseconds} sends its headers and a first part at once, the rest that much later.
            if (request.Path.StartsWithSegments("/trickle", out var pause) && int.TryParse(pause.Value?.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture, out var pauseMilliseconds))
            {
                await context.Response.WriteAsync("first part;");
                await context.Response.Body.FlushAsync();
                try
                {
                    await Task.Delay(pauseMilliseconds, context.RequestAborted);
                    await context.Response.WriteAsync("second part");
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // The load balancer gave up on it.
                }

                return;
            }

            using var content = new MemoryStream();
            await request.Body.CopyToAsync(content);
            var body = new StringBuilder()
                .Append(host).Append(' ').Append(request.Path.Value)
                .Append(" raw=").Append(context.Features.Get<IHttpRequestFeature>()?.RawTarget)
                .Append(" host=").Append(request.Host.Value)
                .Append(" xff=").Append(request.Headers["X-Forwarded-For"].ToString())
                .Append(" proto=").Append(request.Headers["X-Forwarded-Proto"].ToString())
                .Append(" port=").Append(request.Headers["X-Forwarded-Port"].ToString())
                .Append(" trace=").Append(request.Headers["X-Amzn-Trace-Id"].ToString())
                .Append(" method=").Append(request.Method).Append(" bytes=").Append(content.Length)
                .Append(" upgrade=").Append(request.Headers.Upgrade.ToString())
                .Append(" peer=").Append(context.Connection.RemoteIpAddress);
            await context.Response.WriteAsync(body.ToString());
        });
        _apiServers.Add(app);
        await app.StartAsync();
    }
}
