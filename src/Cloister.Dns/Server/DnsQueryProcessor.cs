using System.Diagnostics.CodeAnalysis;
using System.Net;
using Cloister.Dns.Logging;
using Cloister.Dns.Resolution;
using Cloister.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Cloister.Dns.Server;

/// <summary>
/// Turns one query's bytes into one response's bytes for a listener's scope: checks the message (FORMERR,
/// NOTIMP, BADVERS, REFUSED), asks the scope's current view, sizes the answer for the transport (TC over UDP)
/// and records every query a VPC's view answers or refuses in its query logs. Knows nothing of sockets.
/// </summary>
internal sealed class DnsQueryProcessor
{
    /// <summary>The largest UDP payload Cloister sends, whatever the client advertises.</summary>
    public const int MaxUdpPayload = DnsEdns.DefaultPayloadSize;

    // RFC 3225 §3: the DO bit of the query is copied into the response's OPT.
    private static readonly DnsEdns ResponseOpt = new(DnsEdns.DefaultPayloadSize);
    private static readonly DnsEdns ResponseOptDnssecOk = new(DnsEdns.DefaultPayloadSize, DnssecOk: true);

    // TKEY is 249 and TSIG 250, the last Meta-TYPEs below the QTYPEs; MAILB and MAILA follow AXFR.
    private const ushort Tsig = 250;
    private const ushort MailB = 253;
    private const ushort MailA = 254;

    /// <summary>BADVERS (16) is an extended response code: 1 in the OPT record's upper eight bits, 0 in the header.</summary>
    private const byte BadVersExtendedRcode = 1;

    private readonly Func<DnsViewSet> _views;
    private readonly ViewResolver _resolver;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DnsQueryProcessor(Func<DnsViewSet> views, ViewResolver resolver, TimeProvider time, ILogger logger)
    {
        _views = views;
        _resolver = resolver;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Answers <paramref name="request"/>; returns the response's length in <paramref name="response"/>, or 0 when
    /// nothing should be sent (not a query, too short to answer). <paramref name="remote"/> is asked for the client's
    /// address only when the query is logged.
    /// </summary>
    public ValueTask<int> ProcessAsync(ReadOnlyMemory<byte> request, Memory<byte> response, ListenerScope scope, QueryTransport transport, Func<IPEndPoint> remote, CancellationToken cancellationToken)
    {
        var span = request.Span;
        if (!DnsHeader.TryRead(span, out var header) || header.IsResponse)
        {
            return ValueTask.FromResult(0);
        }

        if (!DnsMessage.TryParse(span, out var query, out var error, out var offset))
        {
            if (header.OpCode == DnsOpCode.Query)
            {
                DnsLog.MalformedQuery(_logger, scope, error, offset);
            }

            return ValueTask.FromResult(HeaderOnly(response.Span, header, header.OpCode == DnsOpCode.Query ? DnsResponseCode.FormErr : DnsResponseCode.NotImp));
        }

        if (header.OpCode != DnsOpCode.Query)
        {
            return ValueTask.FromResult(Rejection(query, DnsResponseCode.NotImp, response.Span));
        }

        // An IXFR query carries the client's SOA in its authority section (RFC 1995 §3); it is refused below, not malformed.
        if (query.Questions.Length != 1 || !query.Answers.IsEmpty || (!query.Authorities.IsEmpty && query.Questions[0].Type != DnsRecordType.IXFR) || IsSigned(query))
        {
            return ValueTask.FromResult(Rejection(query, DnsResponseCode.FormErr, response.Span));
        }

        var question = query.Questions[0];
        var limit = transport == QueryTransport.Tcp ? response.Length : Math.Min(response.Length, query.Edns is null ? DnsEdns.ClassicUdpSize : Math.Clamp((int)query.Edns.UdpPayloadSize, DnsEdns.ClassicUdpSize, MaxUdpPayload));
        var reply = new DnsMessage
        {
            Id = query.Id,
            IsResponse = true,
            OpCode = DnsOpCode.Query,
            RecursionDesired = query.RecursionDesired,
            RecursionAvailable = true,
            CheckingDisabled = query.CheckingDisabled,
            Questions = query.Questions,
            Edns = ResponseOptFor(query),
        };
        // RFC 6891 §6.1.3: an EDNS version the resolver does not speak is BADVERS before anything else about the question.
        var views = _views();
        if (!TryFindView(views, scope, remote, out var view))
        {
            // No VPC owns the source, so no query logging configuration can hold the query.
            return ValueTask.FromResult(Write(query.Edns is { Version: > 0 } ? BadVersion(reply, query.Edns) : reply with { ResponseCode = DnsResponseCode.Refused }, response.Span, limit));
        }

        var arrived = _time.GetUtcNow();
        if (query.Edns is { Version: > 0 })
        {
            return ValueTask.FromResult(Finish(BadVersion(reply, query.Edns), response.Span, limit, view, views, scope, transport, remote, arrived));
        }

        // Refusals are logged like any other answer (Route 53 logs every query with its rcode), DNS support off included.
        if ((view.DnsSupport ? Unanswerable(question) : DnsResponseCode.Refused) is { } code)
        {
            return ValueTask.FromResult(Finish(reply with { ResponseCode = code }, response.Span, limit, view, views, scope, transport, remote, arrived));
        }

        var pending = _resolver.ResolveAsync(view, DnsName.Normalize(question.Name), question.Type, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            var answer = pending.Result;
            return ValueTask.FromResult(Finish(WithAnswer(reply, answer), response.Span, limit, view, views, scope, transport, remote, arrived, answer.ForwardedThrough));
        }

        return Slow(pending, reply, response, limit, view, views, scope, transport, remote, arrived);
    }

    /// <summary>
    /// The view that answers: the scope's VPC's, or for a link-local listener the view of the VPC among its VPCs whose
    /// block holds the query's source (peered VPCs never overlap, so at most one does).
    /// </summary>
    private static bool TryFindView(DnsViewSet views, ListenerScope scope, Func<IPEndPoint> remote, [NotNullWhen(true)] out ResolverView? view)
    {
        if (scope.LinkLocalVpcIds.IsEmpty)
        {
            return (scope.InboundEndpointId is not null && views.InboundViews.TryGetValue(scope.VpcId, out view)) || views.Views.TryGetValue(scope.VpcId, out view);
        }

        var source = remote().Address;
        foreach (var vpcId in scope.LinkLocalVpcIds)
        {
            if (views.Views.TryGetValue(vpcId, out view) && view.InVpc(source))
            {
                return true;
            }
        }

        view = null;
        return false;
    }

    private static async ValueTask<int> Slow(ValueTask<LocalAnswer> pending, DnsMessage reply, Memory<byte> response, int limit, ResolverView view, DnsViewSet views, ListenerScope scope, QueryTransport transport, Func<IPEndPoint> remote, DateTimeOffset arrived)
    {
        var answer = await pending.ConfigureAwait(false);
        return Finish(WithAnswer(reply, answer), response.Span, limit, view, views, scope, transport, remote, arrived, answer.ForwardedThrough);
    }

    /// <summary>The BADVERS answer (RFC 6891 §6.1.3): rcode 16, the 1 of its upper bits in an OPT record of version 0.</summary>
    private static DnsMessage BadVersion(DnsMessage reply, DnsEdns edns) =>
        reply with { Edns = new DnsEdns(DnsEdns.DefaultPayloadSize, ExtendedRcode: BadVersExtendedRcode, DnssecOk: edns.DnssecOk) };

    private static DnsMessage WithAnswer(DnsMessage reply, LocalAnswer answer) => reply with
    {
        ResponseCode = answer.ResponseCode,
        Answers = answer.Answers,
        Authorities = answer.Authorities,
    };

    private static int Finish(DnsMessage reply, Span<byte> response, int limit, ResolverView view, DnsViewSet views, ListenerScope scope, QueryTransport transport, Func<IPEndPoint> remote, DateTimeOffset arrived, string? forwardedThrough = null)
    {
        var written = Write(reply, response, limit);
        if (!view.LogSinks.IsEmpty)
        {
            var source = remote();
            var question = reply.Questions[0];
            var entry = new QueryLogEntry(
                views.AccountId,
                view.Region,
                view.VpcId,
                arrived,
                question.Name,
                question.Type,
                question.Class,
                reply.ResponseCode,
                reply.Answers,
                source,
                transport == QueryTransport.Udp ? "UDP" : "TCP",
                scope.InboundEndpointId is null ? view.InstanceAt(source.Address) : null,
                scope.InboundEndpointId,
                scope.NetworkInterfaceId)
            {
                OutboundEndpointId = forwardedThrough,
                ExtendedResponseCode = reply.Edns?.ExtendedRcode ?? 0,
            };
            foreach (var sink in view.LogSinks)
            {
                sink.Add(entry);
            }
        }

        return written;
    }

    /// <summary>
    /// The response code of a question the resolver never looks up, or null. A Meta-TYPE (OPT, TSIG, TKEY) or an unassigned
    /// type of the range kept for Q and Meta-TYPEs (128–248): FORMERR, since no zone or cache can hold one (RFC 6895 §3.1),
    /// as unbound and BIND answer. MAILA and MAILB, QTYPEs of RFC 1035's experimental mailbox records, which no Route 53
    /// zone can hold: NOTIMP, as BIND answers. AXFR and IXFR: REFUSED, RFC 1035 §4.1.1's own example of a refusal, since
    /// the resolver transfers no zone, as unbound answers. A class other than IN, QCLASS ANY included: REFUSED (the VPC
    /// resolver holds class IN only; unbound drops QCLASS ANY, which leaves the client to time out).
    /// </summary>
    private static DnsResponseCode? Unanswerable(DnsQuestion question) => (ushort)question.Type switch
    {
        (ushort)DnsRecordType.OPT or (>= 128 and <= Tsig) => DnsResponseCode.FormErr,
        MailB or MailA => DnsResponseCode.NotImp,
        (ushort)DnsRecordType.AXFR or (ushort)DnsRecordType.IXFR => DnsResponseCode.Refused,
        _ => question.Class != DnsClass.IN ? DnsResponseCode.Refused : null,
    };

    /// <summary>
    /// Whether the query carries a TSIG record. The resolver holds no keys, so it cannot verify one or sign its answer: FORMERR,
    /// as unbound answers (RFC 8945 §5.2: a TSIG that cannot be interpreted makes the message corrupt), rather than an
    /// unsigned answer a signing client would have to reject. Other records in the additional section are ignored.
    /// </summary>
    private static bool IsSigned(DnsMessage query)
    {
        foreach (var record in query.Additionals)
        {
            if ((ushort)record.Type == Tsig)
            {
                return true;
            }
        }

        return false;
    }

    private static int Write(DnsMessage reply, Span<byte> response, int limit) => reply.WriteTruncating(response, limit);

    /// <summary>The OPT record of the response: one exactly when the query had one (RFC 6891 §6.1.1), with its DO bit.</summary>
    private static DnsEdns? ResponseOptFor(DnsMessage query) => query.Edns is null ? null : query.Edns.DnssecOk ? ResponseOptDnssecOk : ResponseOpt;

    /// <summary>
    /// A refusal of a message that reads but cannot be answered: its id, opcode, RD and CD, its question when it has one, and
    /// an OPT record when it had one, as unbound answers; without the OPT a client takes the server for one without EDNS.
    /// </summary>
    private static int Rejection(DnsMessage query, DnsResponseCode code, Span<byte> response) => Write(
        new DnsMessage
        {
            Id = query.Id,
            IsResponse = true,
            OpCode = query.OpCode,
            RecursionDesired = query.RecursionDesired,
            CheckingDisabled = query.CheckingDisabled,
            ResponseCode = code,
            Questions = query.Questions.Length == 1 ? query.Questions : [],
            Edns = ResponseOptFor(query),
        },
        response,
        Math.Min(response.Length, DnsEdns.ClassicUdpSize));

    private static int HeaderOnly(Span<byte> response, DnsHeader query, DnsResponseCode code)
    {
        var flags = (ushort)(DnsHeader.QrBit | (query.Flags & (0x7800 | DnsHeader.RdBit)) | (int)code);
        new DnsHeader(query.Id, flags, 0, 0, 0, 0).Write(response);
        return DnsHeader.Size;
    }
}
