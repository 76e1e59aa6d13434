using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
/// <remarks>
/// A target that never answers must not cost a socket and a buffer per client query: identical questions
/// (rule, name, type) asked while one is on its way wait for that one, and the distinct questions on their way
/// are bounded for the service and for each rule, as are the client queries waiting on them. A query past a
/// bound gets SERVFAIL at once, which is what it would get once the budget ran out.
/// </remarks>
internal sealed class DnsForwarder : IDisposable
{
    /// <summary>The largest query sent: header, a 255-byte name, type, class and an OPT record, with room to spare.</summary>
    private const int MaxQuery = 512;

    /// <summary>
    /// The UDP receive buffer: above the 1,232 bytes the query advertises. A datagram that fills it may have been cut by the
    /// kernel, so the question is asked again over TCP.
    /// </summary>
    private const int MaxUdpAnswer = 4096;
    private const int MaxMessage = 65535;

    /// <summary>The longest TTL a forwarded record is served and cached with: 7 days (RFC 8767 §4).</summary>
    internal const uint MaxTtl = 604_800;
    private const string NoValidAnswer = "no valid answer";
    private static readonly DnsMessage OversizedAnswer = new() { IsResponse = true, Truncated = true };
    private readonly IDnsSocketFactory _sockets;
    private readonly DnsResponseCache _cache;
    private readonly ForwardLimits _limits;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task<LocalAnswer>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _inFlightByRule = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private int _inFlightCount;
    private int _waitingCount;

    public DnsForwarder(IDnsSocketFactory sockets, DnsResponseCache cache, ForwardLimits limits, ILogger logger)
    {
        _sockets = sockets;
        _cache = cache;
        _limits = limits;
        _logger = logger;
        _stoppingToken = _stopping.Token;
    }

    public DnsResponseCache Cache => _cache;

    /// <summary>The distinct questions on their way upstream now.</summary>
    public int InFlight => Volatile.Read(ref _inFlightCount);

    /// <summary>
    /// The answer to <paramref name="name"/> <paramref name="type"/> under <paramref name="rule"/>: from the cache, from the same
    /// question already on its way, or asked upstream. <paramref name="cancellationToken"/> stops this caller's wait only; the
    /// question itself runs on for the others waiting on it, within the budget.
    /// </summary>
    public ValueTask<LocalAnswer> ForwardAsync(ForwardRule rule, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var key = DnsResponseCache.Key(rule.RuleId, name, type);
        if (_cache.TryGet(key, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        if (rule.Targets.IsEmpty || rule.SourceAddresses.IsEmpty)
        {
            DnsLog.ForwardFailed(_logger, rule.RuleId, name);
            return ValueTask.FromResult(LocalAnswer.ServerFailure);
        }

        if (Interlocked.Increment(ref _waitingCount) > _limits.MaxWaiting)
        {
            Interlocked.Decrement(ref _waitingCount);
            DnsLog.ForwardsBusy(_logger, rule.RuleId, name, "queries waiting on forwards");
            return ValueTask.FromResult(LocalAnswer.ServerFailure);
        }

        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
            {
                return WaitAsync(running, cancellationToken);
            }

            var busy = TryReserve(rule.RuleId);
            if (busy is not null)
            {
                Interlocked.Decrement(ref _waitingCount);
                DnsLog.ForwardsBusy(_logger, rule.RuleId, name, busy);
                return ValueTask.FromResult(LocalAnswer.ServerFailure);
            }

            var shared = new TaskCompletionSource<LocalAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight.TryAdd(key, shared.Task))
            {
                _ = RunAsync(shared, key, rule, name, type);
                return WaitAsync(shared.Task, cancellationToken);
            }

            // Another caller registered the same question between the look-up and the add: wait on theirs.
            Release(rule.RuleId);
        }
    }

    /// <summary>Stops every question on its way; their waiters see cancellation.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Reserves a place for one more distinct question under <paramref name="ruleId"/>; null, or the bound that is full.</summary>
    private string? TryReserve(string ruleId)
    {
        if (Interlocked.Increment(ref _inFlightCount) > _limits.MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlightCount);
            return "forwards in flight";
        }

        var perRule = _inFlightByRule.GetOrAdd(ruleId, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref perRule.Value) > _limits.MaxInFlightPerRule)
        {
            Interlocked.Decrement(ref perRule.Value);
            Interlocked.Decrement(ref _inFlightCount);
            return "forwards in flight for the rule";
        }

        return null;
    }

    private void Release(string ruleId)
    {
        if (_inFlightByRule.TryGetValue(ruleId, out var perRule))
        {
            Interlocked.Decrement(ref perRule.Value);
        }

        Interlocked.Decrement(ref _inFlightCount);
    }

    private async ValueTask<LocalAnswer> WaitAsync(Task<LocalAnswer> shared, CancellationToken cancellationToken)
    {
        try
        {
            return await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingCount);
        }
    }

    private async Task RunAsync(TaskCompletionSource<LocalAnswer> shared, string key, ForwardRule rule, string name, DnsRecordType type)
    {
        var work = AskTargetsAsync(key, rule, name, type).AsTask();
        try
        {
            await ((Task)work).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            // Out of the table before the waiters wake, so a later question starts afresh (or finds the cached answer).
            _inFlight.TryRemove(new KeyValuePair<string, Task<LocalAnswer>>(key, shared.Task));
            Release(rule.RuleId);
            shared.TrySetFromTask(work);
        }
    }

    private async ValueTask<LocalAnswer> AskTargetsAsync(string key, ForwardRule rule, string name, DnsRecordType type)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(_stoppingToken);
        budget.CancelAfter(_limits.Budget);
        var targets = rule.Targets.Length;
        var sources = rule.SourceAddresses.Length;
        var attempts = targets * sources;
        for (var k = 0; k < attempts && !budget.IsCancellationRequested; k++)
        {
            var target = rule.Targets[k % targets];
            var source = rule.SourceAddresses[(k + (k / targets)) % sources];
            var answer = await AttemptAsync(rule.EndpointVpcId!, source, target, rule.Domain, name, type, budget.Token).ConfigureAwait(false);
            if (answer is not null)
            {
                _cache.Store(key, answer);
                return answer;
            }
        }

        _stoppingToken.ThrowIfCancellationRequested();
        DnsLog.ForwardFailed(_logger, rule.RuleId, name);
        return LocalAnswer.ServerFailure;
    }

    private async ValueTask<LocalAnswer?> AttemptAsync(string vpcId, IPAddress source, IPEndPoint target, string domain, string name, DnsRecordType type, CancellationToken budget)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var query = DnsMessage.CreateQuery(id, name, type);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxQuery + 2);
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(budget);
            attempt.CancelAfter(_limits.AttemptTimeout);
            if (!query.TryWrite(buffer.AsSpan(2, MaxQuery), out var length))
            {
                return null;
            }

            var response = await UdpExchangeAsync(vpcId, source, target, buffer, length, query, attempt.Token).ConfigureAwait(false);
            if (response is { ResponseCode: DnsResponseCode.FormErr or DnsResponseCode.NotImp, Edns: null })
            {
                // RFC 6891 §7: a server that does not implement EDNS rejects the OPT record (FORMERR, some NOTIMP) and
                // sends none back; asked again without it, it answers (unbound falls back the same way).
                query = query with { Edns = null };
                if (!query.TryWrite(buffer.AsSpan(2, MaxQuery), out length))
                {
                    return null;
                }

                response = await UdpExchangeAsync(vpcId, source, target, buffer, length, query, attempt.Token).ConfigureAwait(false);
            }

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

            if (IsUpwardReferral(domain, response))
            {
                DnsLog.ForwardAttemptFailed(_logger, name, target, source, "referral above the rule's domain");
                return null;
            }

            return new LocalAnswer(response.ResponseCode, WithTtlsCapped(response.Answers), WithNegativeTtls(WithTtlsCapped(response.Authorities)), UnresolvedCnameTarget(name, type, response));
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
        var receive = ArrayPool<byte>.Shared.Rent(MaxUdpAnswer);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(receive.AsMemory(0, MaxUdpAnswer), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (received == MaxUdpAnswer)
                {
                    return OversizedAnswer;
                }

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

    /// <summary>
    /// <paramref name="records"/> with no TTL above <see cref="MaxTtl"/>. RFC 8767 §4 reads a TTL with its high bit set as
    /// the large positive number it is (RFC 2181 §8 had made it zero) and recommends capping TTLs at 7 days, which BIND's
    /// <c>max-cache-ttl</c> does by default; unbound caps at a day. Without a cap an upstream's 2,147,483,649 reached the
    /// client as it came (a value RFC 2181 says no server sends) and stayed in the cache for 68 years.
    /// </summary>
    internal static ImmutableArray<DnsResourceRecord> WithTtlsCapped(ImmutableArray<DnsResourceRecord> records)
    {
        foreach (var record in records)
        {
            if (record.Ttl > MaxTtl)
            {
                return [.. records.Select(r => r.Ttl > MaxTtl ? r.WithTtl(MaxTtl) : r)];
            }
        }

        return records;
    }

    /// <summary>
    /// The authority section with each SOA's TTL lowered to its MINIMUM when that is smaller: RFC 2308 §3's negative TTL, for
    /// which the answer is cached (<see cref="DnsResponseCache.TtlOf"/>), so the SOA a client sees counts down with the cache
    /// as unbound's does, rather than from an upstream's larger TTL that no cache here keeps.
    /// </summary>
    internal static ImmutableArray<DnsResourceRecord> WithNegativeTtls(ImmutableArray<DnsResourceRecord> authorities)
    {
        foreach (var record in authorities)
        {
            if (record.Data is SoaRecordData soa && soa.Minimum < record.Ttl)
            {
                return [.. authorities.Select(r => r.Data is SoaRecordData s && s.Minimum < r.Ttl ? r.WithTtl(s.Minimum) : r)];
            }
        }

        return authorities;
    }

    /// <summary>
    /// Where an upstream answer's CNAME chain ends when the upstream did not follow it: an authoritative-only server
    /// answers the CNAME alone (no records of the type at its end, no SOA saying there are none, NOERROR). The resolver
    /// follows that target itself, through its own rules and zones, as a recursive resolver does; null otherwise.
    /// </summary>
    internal static string? UnresolvedCnameTarget(string name, DnsRecordType type, DnsMessage response)
    {
        if (type is DnsRecordType.CNAME or DnsRecordType.ANY || response.ResponseCode != DnsResponseCode.NoError || response.Authorities.Any(r => r.Type == DnsRecordType.SOA))
        {
            return null;
        }

        var current = name;
        for (var links = 0; links < response.Answers.Length; links++)
        {
            var next = response.Answers.FirstOrDefault(r => r.Type == DnsRecordType.CNAME && DnsName.Comparer.Equals(r.Name, current));
            if (next?.Data is not NameRecordData link)
            {
                break;
            }

            current = link.Target;
        }

        return ReferenceEquals(current, name) || response.Answers.Any(r => r.Type == type && DnsName.Comparer.Equals(r.Name, current)) ? null : current;
    }

    /// <summary>
    /// A lame answer: no records, no SOA, only a referral to the root or to a domain above the rule's <paramref name="domain"/>, as
    /// a server that neither recurses nor holds the name sends (Windows DNS with recursion off refers to the root). unbound
    /// treats a forwarder's upward referral as lame and tries elsewhere; a referral at or below the domain is a delegation the
    /// upstream did not follow, passed through as unbound does.
    /// </summary>
    internal static bool IsUpwardReferral(string domain, DnsMessage response) =>
        response.ResponseCode == DnsResponseCode.NoError
        && response.Answers.IsEmpty
        && !response.Authorities.Any(r => r.Type == DnsRecordType.SOA)
        && response.Authorities.Any(r => r.Type == DnsRecordType.NS && !DnsName.IsAtOrBelow(r.Name, domain));

    /// <summary>
    /// Whether <paramref name="response"/> answers <paramref name="query"/>: same id and question, or a FORMERR or NOTIMP with
    /// the id alone (a server that cannot read a query, an OPT record included, may send the header back without the question).
    /// </summary>
    private static bool Matches(DnsMessage query, DnsMessage response) =>
        response.IsResponse
        && response.Id == query.Id
        && (response.Questions.Length == 1
            ? response.Questions[0].Type == query.Questions[0].Type
                && response.Questions[0].Class == query.Questions[0].Class
                && DnsName.Comparer.Equals(response.Questions[0].Name, query.Questions[0].Name)
            : response.Questions.IsEmpty && response.ResponseCode is DnsResponseCode.FormErr or DnsResponseCode.NotImp);
}
