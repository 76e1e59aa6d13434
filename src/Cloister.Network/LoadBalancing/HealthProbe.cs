using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Cloister.Network.Sockets;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// One health check from a load balancer node: a TCP connect, or an HTTP/HTTPS <c>GET</c> of the check's path whose
/// status must satisfy the matcher. HTTPS checks send no SNI and accept any certificate, as ELB's do; the Host header
/// is the target's address and port. A failure says why as ELB does: a status the matcher refuses and a check that
/// times out are told apart only for an application load balancer's groups (HTTP, HTTPS); a network load balancer
/// reports every failure as <c>Target.FailedHealthChecks</c>.
/// </summary>
internal static class HealthProbe
{
    private const int MaxStatusLine = 1024;

    public static async Task<HealthCheckResult> CheckAsync(IEniSockets sockets, TargetGroupPlan plan, IPEndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var check = plan.Group.HealthCheck;
        var application = plan.Group.Protocol is "HTTP" or "HTTPS";
        var endpoint = new IPEndPoint(target.Address, plan.CheckPort ?? target.Port);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = sockets.OpenTcpClient(plan.CheckSource);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            if (check.Protocol is not ("HTTP" or "HTTPS"))
            {
                return HealthCheckResult.Passed;
            }

            Stream stream = new NetworkStream(socket, ownsSocket: false);
            await using (stream.ConfigureAwait(false))
            {
                if (check.Protocol == "HTTPS")
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = tls;
                    await tls.AuthenticateAsClientAsync(TargetTls.Options(string.Empty), deadline.Token).ConfigureAwait(false);
                }

                var request = string.Create(CultureInfo.InvariantCulture,
                    $"GET {check.Path ?? "/"} HTTP/1.1\r\nHost: {endpoint}\r\nUser-Agent: ELB-HealthChecker/2.0\r\nAccept-Encoding: gzip, compressed\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token).ConfigureAwait(false);
                return await ReadStatusAsync(stream, deadline.Token).ConfigureAwait(false) switch
                {
                    null => HealthCheckResult.FailedHealthChecks,
                    var status when plan.Matcher.Accepts(status.Value) => HealthCheckResult.Passed,
                    _ => application ? HealthCheckResult.ResponseCodeMismatch : HealthCheckResult.FailedHealthChecks,
                };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return application ? HealthCheckResult.Timeout : HealthCheckResult.FailedHealthChecks;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return HealthCheckResult.FailedHealthChecks;
        }
    }

    /// <summary>The status code of an <c>HTTP/1.x NNN</c> status line, or null when the response has none.</summary>
    internal static int? ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ')
        {
            return null;
        }

        var code = line.Slice(9, 3);
        var status = 0;
        foreach (var digit in code)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            status = (status * 10) + (digit - '0');
        }

        return status is >= 100 and <= 599 ? status : null;
    }

    private static async Task<int?> ReadStatusAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxStatusLine);
        try
        {
            var filled = 0;
            while (filled < MaxStatusLine)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled, MaxStatusLine - filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                var end = buffer.AsSpan(0, filled).IndexOf("\r\n"u8);
                if (end >= 0)
                {
                    return ParseStatusLine(buffer.AsSpan(0, end));
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
