using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Sockets;
using Cloister.Shared.Http;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// An application load balancer's request path: the listener's rules choose an action; a forward picks one of its
/// target groups by weight and stickiness (<see cref="TargetGroupChooser"/>), the other actions are the load
/// balancer's own fixed response or redirect (<see cref="ApplicationAnswers"/>). The group's targets take turns
/// (round robin over the routable ones), the request goes to the target from the node that accepted it with
/// <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Port</c> and <c>X-Amzn-Trace-Id</c>, and the response comes back
/// as the target sent it. 503 when every weight is 0 or the group has no targets, 502 when the target refuses or
/// breaks the connection or sends a malformed response or one whose header exceeds 32 K, 504 when it cannot be
/// reached in 10 seconds or sends no response within the load balancer's idle timeout.
/// </summary>
internal sealed class ApplicationProxy : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private const int BodyBufferSize = 81920;

    private static readonly FrozenSet<string> HopByHop = new[]
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Host",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly Func<BalancerState> _state;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FrozenDictionary<IPAddress, HttpMessageInvoker> _clients;
    private readonly TargetGroupChooser _chooser;
    private int _turn;

    public ApplicationProxy(IEnumerable<IPAddress> nodes, Func<BalancerState> state, IEniSockets sockets, TimeProvider time, ILogger logger)
    {
        _state = state;
        _time = time;
        _logger = logger;
        _clients = nodes.Distinct().ToFrozenDictionary(n => n, n => new HttpMessageInvoker(Handler(n, sockets)));
        _chooser = new TargetGroupChooser(time, Random.Shared);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>
    /// One request: the connection counts it in flight (not idle) until it ends; a connection older than its load
    /// balancer's HTTP client keepalive duration has this request answered and then closes (<see cref="CloseAfterResponse"/>).
    /// </summary>
    public async Task HandleAsync(HttpContext context)
    {
        var connection = context.Features.Get<ApplicationConnection>()!;
        connection.RequestStarted();
        try
        {
            // One state for the whole request: the keepalive check and the routing see the same listener.
            var state = _state();
            if (state.ListenersById.TryGetValue(connection.ListenerId, out var listener) &&
                connection.OutlivedAt(_time.GetUtcNow(), TimeSpan.FromSeconds(listener.Balancer.ClientKeepAliveSeconds)))
            {
                CloseAfterResponse(context);
            }

            await RouteAsync(context, connection, state).ConfigureAwait(false);
        }
        finally
        {
            connection.RequestEnded(_time.GetUtcNow());
        }
    }

    /// <summary>
    /// Ends the connection gracefully with this response, as ELB does once the client keepalive duration is over:
    /// <c>Connection: close</c> on HTTP/1.1 (set as the response starts, after the load balancer's own answers clear the
    /// headers), <c>GOAWAY</c> on HTTP/2.
    /// </summary>
    private static void CloseAfterResponse(HttpContext context)
    {
        if (HttpProtocol.IsHttp2(context.Request.Protocol))
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
            return;
        }

        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        });
    }

    private async Task RouteAsync(HttpContext context, ApplicationConnection connection, BalancerState state)
    {
        if (!state.ListenersById.TryGetValue(connection.ListenerId, out var listener))
        {
            await ApplicationErrors.WriteAsync(context, 503).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        if (RequestRefusal.StatusFor(request, RequestTarget.Of(context)) is { } refusal)
        {
            await ApplicationErrors.WriteAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        // A WebSocket asked over HTTP/2 (RFC 8441's extended CONNECT, which Kestrel offers and ELB does not) goes to the
        // target as the HTTP/1.1 GET upgrade a client would have sent ELB, and is routed as that GET.
        var extendedConnect = context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect &&
            string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase) ? connect : null;
        var method = extendedConnect is null ? request.Method : HttpMethods.Get;
        var action = listener.RouteFor(new RuleRequest(request.Host.Value ?? string.Empty, NormalizedPath.Of(RequestTarget.PathOf(context)), method, client, request.Headers, request.QueryString.Value));
        if (action is not ForwardAction forward)
        {
            await ApplicationAnswers.WriteAsync(context, listener, action).ConfigureAwait(false);
            return;
        }

        var (groupId, setCookies) = _chooser.Choose(forward, request.Cookies[TargetGroupChooser.CookieName]);
        if (groupId is null || !state.Health.TryGetValue(groupId, out var group) || group.For(connection.Node) is not { Routable.IsEmpty: false } health)
        {
            await ApplicationErrors.WriteAsync(context, 503).ConfigureAwait(false);
            return;
        }

        var targets = health.Routable;
        var target = targets[(int)((uint)Interlocked.Increment(ref _turn) % (uint)targets.Length)];
        var scheme = health.Plan.Group.Protocol == "HTTPS" ? "https" : "http";
        using var message = new HttpRequestMessage(new HttpMethod(method), new Uri($"{scheme}://{target}{RequestTarget.Of(context)}", RequestTarget.Verbatim));
        CopyRequestHeaders(context, listener, client, message);

        // A WebSocket (an HTTP/1.1 upgrade to websocket): the target is asked to upgrade too, and on its 101 both connections
        // become one. ELB upgrades to WebSockets only: any other Upgrade (h2c) is dropped as the hop-by-hop header it is.
        var upgrade = context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } feature &&
            request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase) ? feature : null;
        if (upgrade is not null || extendedConnect is not null)
        {
            message.Headers.TryAddWithoutValidation(HeaderNames.Connection, "Upgrade");
            message.Headers.TryAddWithoutValidation(HeaderNames.Upgrade, "websocket");
            if (extendedConnect is not null)
            {
                message.Headers.TryAddWithoutValidation(HeaderNames.SecWebSocketKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
            }
        }
        else if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            message.Content = new StreamContent(request.Body);
            foreach (var (name, values) in request.Headers)
            {
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
        }

        // A request in flight to a target an update deregisters goes on until its deregistration delay ends; then it is
        // cut: a 502 before the response began, the client's connection aborted during it.
        using var inFlight = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var tracked = health.Track(target, state.Catalog.NodeZones.GetValueOrDefault(connection.Node), endsWhenUnhealthy: false, () => CancelQuietly(inFlight));
        // A target that sends no response within the load balancer's idle timeout gets a 504, as on ELB.
        var idleSpan = TimeSpan.FromSeconds(listener.Balancer.IdleTimeoutSeconds);
        using var idleTimeout = new CancellationTokenSource(idleSpan, _time);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(inFlight.Token, idleTimeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await _clients[connection.Node].SendAsync(message, idle.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException && inFlight.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            LoadBalancerLog.TargetFailed(_logger, listener.Balancer.Name, target, e);
            await ApplicationErrors.WriteAsync(context, 502).ConfigureAwait(false);
            return;
        }
        catch (HttpRequestException e) when (e.InnerException is TimeoutException || e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is OperationCanceledException)
        {
            LoadBalancerLog.TargetFailed(_logger, listener.Balancer.Name, target, e);
            await ApplicationErrors.WriteAsync(context, 504).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LoadBalancerLog.TargetFailed(_logger, listener.Balancer.Name, target, e);
            await ApplicationErrors.WriteAsync(context, 504).ConfigureAwait(false);
            return;
        }
        catch (HttpRequestException e)
        {
            LoadBalancerLog.TargetFailed(_logger, listener.Balancer.Name, target, e);
            await ApplicationErrors.WriteAsync(context, 502).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            foreach (var cookie in setCookies)
            {
                context.Response.Headers.Append(HeaderNames.SetCookie, cookie);
            }

            if (upgrade is not null && response.StatusCode == HttpStatusCode.SwitchingProtocols)
            {
                context.Response.Headers.Upgrade = response.Headers.Upgrade.ToString();
                await TunnelAsync(upgrade.UpgradeAsync, response.Content, idleTimeout, idleSpan, idle.Token).ConfigureAwait(false);
                return;
            }

            if (extendedConnect is not null)
            {
                // HTTP/2 accepts a CONNECT with a 200 and has no use for the key's answer; a 2XX other than the upgrade could
                // not carry its body on a CONNECT stream, so the client gets a 502 as for a target that broke the exchange.
                if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.Headers.Remove(HeaderNames.SecWebSocketAccept);
                    await TunnelAsync(() => extendedConnect.AcceptAsync().AsTask(), response.Content, idleTimeout, idleSpan, idle.Token).ConfigureAwait(false);
                    return;
                }

                if ((int)response.StatusCode is >= 200 and < 300)
                {
                    await ApplicationErrors.WriteAsync(context, 502).ConfigureAwait(false);
                    return;
                }
            }

            if (response.Content.Headers.ContentLength is null && context.Features.Get<IHttpResponseBodyFeature>() is { } body)
            {
                body.DisableBuffering();
            }

            try
            {
                await CopyBodyAsync(response.Content, context.Response.Body, idleTimeout, idleSpan, idle.Token, inFlight.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
            {
                // The target broke off mid-body, or its deregistration delay ended: the client sees the connection end, as with ELB.
                LoadBalancerLog.TargetFailed(_logger, listener.Balancer.Name, target, e);
                context.Abort();
            }
        }
    }

    /// <summary>
    /// The target's body on to the client; the idle timeout starts again before every read, so a target that sends
    /// nothing for that long mid-body has the copy cancelled (and the client's connection closed), as ELB closes an idle
    /// connection.
    /// </summary>
    private static async Task CopyBodyAsync(HttpContent content, Stream client, CancellationTokenSource idleTimeout, TimeSpan idleSpan, CancellationToken idle, CancellationToken inFlight)
    {
        var source = await content.ReadAsStreamAsync(inFlight).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BodyBufferSize);
            try
            {
                while (true)
                {
                    idleTimeout.CancelAfter(idleSpan);
                    var read = await source.ReadAsync(buffer, idle).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    await client.WriteAsync(buffer.AsMemory(0, read), inFlight).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// An upgraded connection (a WebSocket): the client gets the target's 101 (HTTP/1.1) or a 200 on its CONNECT stream
    /// (HTTP/2), then bytes go both ways until either side closes or neither sends anything for the load balancer's idle
    /// timeout (ELB: the listener's options "apply to WebSocket connections", and an idle WebSocket is closed like any
    /// idle connection), or the target's deregistration delay ends (<paramref name="idle"/> includes it). Either way both
    /// connections end together.
    /// </summary>
    private static async Task TunnelAsync(Func<Task<Stream>> acceptClient, HttpContent target, CancellationTokenSource idleTimeout, TimeSpan idleSpan, CancellationToken idle)
    {
        var targetStream = await target.ReadAsStreamAsync(idle).ConfigureAwait(false);
        await using (targetStream.ConfigureAwait(false))
        {
            var clientStream = await acceptClient().ConfigureAwait(false);
            using var tunnel = CancellationTokenSource.CreateLinkedTokenSource(idle);
            idleTimeout.CancelAfter(idleSpan);
            await Task.WhenAll(
                RelayAsync(clientStream, targetStream, idleTimeout, idleSpan, tunnel),
                RelayAsync(targetStream, clientStream, idleTimeout, idleSpan, tunnel)).ConfigureAwait(false);
        }
    }

    /// <summary>One direction of a tunnel: every read puts the idle timeout off again; the end of either direction ends both.</summary>
    private static async Task RelayAsync(Stream from, Stream to, CancellationTokenSource idleTimeout, TimeSpan idleSpan, CancellationTokenSource tunnel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BodyBufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, tunnel.Token).ConfigureAwait(false)) > 0)
            {
                idleTimeout.CancelAfter(idleSpan);
                await to.WriteAsync(buffer.AsMemory(0, read), tunnel.Token).ConfigureAwait(false);
                await to.FlushAsync(tunnel.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away, or the tunnel was idle too long: it ends below.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            CancelQuietly(tunnel);
        }
    }

    /// <summary>Cuts a request in flight; it may have ended (and its source been disposed) in the meantime.</summary>
    private static void CancelQuietly(CancellationTokenSource inFlight)
    {
        try
        {
            inFlight.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended first.
        }
    }

    private void CopyRequestHeaders(HttpContext context, ListenerPlan listener, IPAddress client, HttpRequestMessage message)
    {
        var request = context.Request;
        foreach (var (name, values) in request.Headers)
        {
            if (!HopByHop.Contains(name) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) &&
                !name.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase) && !name.Equals("X-Forwarded-Proto", StringComparison.OrdinalIgnoreCase) &&
                !name.Equals("X-Forwarded-Port", StringComparison.OrdinalIgnoreCase) && !name.Equals("X-Amzn-Trace-Id", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // The Host header goes to the target unchanged (and, for HTTPS targets, names the TLS server).
        if (request.Host.HasValue)
        {
            message.Headers.Host = request.Host.Value;
        }

        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        message.Headers.TryAddWithoutValidation("X-Forwarded-For", forwarded.Length == 0 ? client.ToString() : forwarded + ", " + client);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", listener.Secure ? "https" : "http");
        message.Headers.TryAddWithoutValidation("X-Forwarded-Port", listener.Listener.Port.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", TraceHeader.For(request.Headers["X-Amzn-Trace-Id"].ToString(), _time.GetUtcNow()));
        message.Version = HttpVersion.Version11;
        message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
    }

    /// <summary>
    /// Connections to targets leave from the node's own address, so targets' security groups see the load balancer; a
    /// target's HTTP/1.0 response ends its connection (<see cref="Http10CloseStream"/>).
    /// </summary>
    private static SocketsHttpHandler Handler(IPAddress node, IEniSockets sockets) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),

        // ELB answers 502 when "the target response header exceeded 32 K for the entire response header" (in KB here).
        MaxResponseHeadersLength = 32,
        PlaintextStreamFilter = Http10CloseStream.Filter,
        SslOptions = TargetTls.Options(string.Empty),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = sockets.OpenTcpClient(node);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
