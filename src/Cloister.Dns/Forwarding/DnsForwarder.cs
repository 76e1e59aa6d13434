using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Cloister.Dns.Resolution;
using Cloister.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns.Forwarding;

/// <summary>
/// Sends queries matching a FORWARD rule out through the rule's outbound endpoint: from each of the endpoint's
/// addresses to each of the rule's targets in turn, each attempt with its own timeout and all of them within
/// one budget; a truncated UDP answer is asked again over TCP. Answers are cached by TTL.
/// </summary>
internal sealed class DnsForwarder
{
    private const int MaxMessage = 65535;
    private const string NoValidAnswer = "no valid answer";
    private readonly IDnsSocketFactory _sockets;
    private readonly DnsResponseCache _cache;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _budget;
    private readonly ILogger _logger;

    public DnsForwarder(IDnsSocketFactory sockets, DnsResponseCache cache, TimeSpan attemptTimeout, TimeSpan budget, ILogger logger)
    {
        _sockets = sockets;
        _cache = cache;
        _attemptTimeout = attemptTimeout;
        _budget = budget;
        _logger = logger;
    }

    public DnsResponseCache Cache => _cache;

    public async ValueTask<LocalAnswer> ForwardAsync(ForwardRule rule, string vpcId, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var key = DnsResponseCache.Key(rule.RuleId, name, type);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        if (rule.Targets.IsEmpty || rule.SourceAddresses.IsEmpty)
        {
            DnsLog.ForwardFailed(_logger, rule.RuleId, name);
            return LocalAnswer.ServerFailure;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_budget);
        var targets = rule.Targets.Length;
        var sources = rule.SourceAddresses.Length;
        var attempts = targets * sources;
        for (var k = 0; k < attempts && !budget.IsCancellationRequested; k++)
        {
            var target = rule.Targets[k % targets];
            var source = rule.SourceAddresses[(k + (k / targets)) % sources];
            var answer = await AttemptAsync(vpcId, source, target, name, type, budget.Token).ConfigureAwait(false);
            if (answer is not null)
            {
                _cache.Store(key, answer);
                return answer;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        DnsLog.ForwardFailed(_logger, rule.RuleId, name);
        return LocalAnswer.ServerFailure;
    }

    private async ValueTask<LocalAnswer?> AttemptAsync(string vpcId, IPAddress source, IPEndPoint target, string name, DnsRecordType type, CancellationToken budget)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var query = DnsMessage.CreateQuery(id, name, type);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessage + 2);
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(budget);
            attempt.CancelAfter(_attemptTimeout);
            if (!query.TryWrite(buffer.AsSpan(2), out var length))
            {
                return null;
            }

            var response = await UdpExchangeAsync(vpcId, source, target, buffer, length, query, attempt.Token).ConfigureAwait(false);
            if (response is { Truncated: true })
            {
                response = await TcpExchangeAsync(vpcId, source, target, buffer, length, query, attempt.Token).ConfigureAwait(false);
            }

            if (response is null || response.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NXDomain))
            {
                if (response is null)
                {
                    DnsLog.ForwardAttemptFailed(_logger, name, target, source, NoValidAnswer);
                }
                else
                {
                    DnsLog.ForwardAttemptRejected(_logger, name, target, source, response.ResponseCode);
                }

                return null;
            }

            return new LocalAnswer(response.ResponseCode, response.Answers, response.Authorities);
        }
        catch (OperationCanceledException) when (!budget.IsCancellationRequested)
        {
            DnsLog.ForwardAttemptFailed(_logger, name, target, source, "timeout");
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException exception)
        {
            DnsLog.ForwardAttemptSocketError(_logger, name, target, source, exception.SocketErrorCode);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<DnsMessage?> UdpExchangeAsync(string vpcId, IPAddress source, IPEndPoint target, byte[] buffer, int length, DnsMessage query, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(vpcId, source, target, ProtocolType.Udp, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(buffer.AsMemory(2, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var receive = ArrayPool<byte>.Shared.Rent(MaxMessage);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(receive, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (DnsMessage.TryParse(receive.AsSpan(0, received), out var response, out _, out _) && Matches(query, response))
                {
                    return response;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(receive);
        }
    }

    private async ValueTask<DnsMessage?> TcpExchangeAsync(string vpcId, IPAddress source, IPEndPoint target, byte[] buffer, int length, DnsMessage query, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(vpcId, source, target, ProtocolType.Tcp, cancellationToken).ConfigureAwait(false);
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)length);
        await socket.SendAsync(buffer.AsMemory(0, length + 2), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var receive = ArrayPool<byte>.Shared.Rent(MaxMessage);
        try
        {
            if (!await ReadExactlyAsync(socket, receive.AsMemory(0, 2), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var size = BinaryPrimitives.ReadUInt16BigEndian(receive);
            if (!await ReadExactlyAsync(socket, receive.AsMemory(0, size), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return DnsMessage.TryParse(receive.AsSpan(0, size), out var response, out _, out _) && Matches(query, response) ? response : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(receive);
        }
    }

    private async ValueTask<Socket> ConnectAsync(string vpcId, IPAddress source, IPEndPoint target, ProtocolType protocol, CancellationToken cancellationToken)
    {
        var socket = _sockets.Create(vpcId, source, protocol);
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static async ValueTask<bool> ReadExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var received = await socket.ReceiveAsync(destination[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                return false;
            }

            read += received;
        }

        return true;
    }

    private static bool Matches(DnsMessage query, DnsMessage response) =>
        response.IsResponse
        && response.Id == query.Id
        && response.Questions.Length == 1
        && response.Questions[0].Type == query.Questions[0].Type
        && response.Questions[0].Class == query.Questions[0].Class
        && DnsName.Comparer.Equals(response.Questions[0].Name, query.Questions[0].Name);
}
