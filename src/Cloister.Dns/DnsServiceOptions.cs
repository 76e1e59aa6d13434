using System.Net;
using Cloister.Dns.Forwarding;
using Cloister.Model;

namespace Cloister.Dns;

/// <summary>How the DNS service runs. Every value has a default that suits a sandbox.</summary>
public sealed record DnsServiceOptions
{
    /// <summary>Where query logs go (<see cref="StatePaths.DnsLogs"/>); null: queries are not logged.</summary>
    public StatePaths? State { get; init; }

    /// <summary>Opens the sockets forwarded queries leave from (inside the outbound endpoint's VPC).</summary>
    public IDnsSocketFactory SocketFactory { get; init; } = LoopbackDnsSocketFactory.Instance;

    /// <summary>The clock, for TTLs, timeouts and log timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long one forwarding attempt (one source address to one target) waits for an answer.</summary>
    public TimeSpan ForwardAttemptTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long all attempts for one forwarded query may take together before SERVFAIL.</summary>
    public TimeSpan ForwardBudget { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The most distinct forwarded questions (rule, name, type) on their way upstream at once; a query that would start
    /// another gets SERVFAIL at once. Identical questions share one.
    /// </summary>
    public int MaxForwardsInFlight { get; init; } = 1024;

    /// <summary>The same bound for the questions of one rule, so one dead target cannot take every place.</summary>
    public int MaxForwardsInFlightPerRule { get; init; } = 256;

    /// <summary>The most client queries waiting on forwarded questions at once (several may wait on one); past it, SERVFAIL.</summary>
    public int MaxQueriesAwaitingForwards { get; init; } = 16 * 1024;

    /// <summary>How long an idle TCP connection stays open.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most TCP connections open at once per listener.</summary>
    public int MaxTcpConnections { get; init; } = 256;

    /// <summary>UDP receive loops per socket; 0: one per processor, at least two.</summary>
    public int UdpReceiveLoops { get; init; }

    /// <summary>The most forwarded answers cached.</summary>
    public int CacheCapacity { get; init; } = 100_000;

    /// <summary>
    /// Public names the fabric knows and the model does not say, such as load balancer DNS names and their node
    /// addresses; they resolve in every VPC and are valid alias targets. <see cref="DnsService.SetAdditionalNames"/>
    /// replaces them while the service runs (a load balancer's nodes in service).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> AdditionalNames { get; init; } = new Dictionary<string, IReadOnlyList<IPAddress>>();
}
