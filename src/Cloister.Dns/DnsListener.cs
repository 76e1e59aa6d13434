using System.Net;
using Cloister.Dns.Server;

namespace Cloister.Dns;

/// <summary>A running resolver address: its UDP and TCP servers. Disposing it stops them and closes their sockets.</summary>
public sealed class DnsListener : IAsyncDisposable
{
    private readonly DnsUdpServer? _udp;
    private readonly DnsTcpServer? _tcp;
    private readonly Action<DnsListener> _removed;
    private int _disposed;

    internal DnsListener(string scope, DnsUdpServer? udp, DnsTcpServer? tcp, Action<DnsListener> removed)
    {
        Scope = scope;
        _udp = udp;
        _tcp = tcp;
        _removed = removed;
    }

    /// <summary>What the listener answers for: a VPC id, or an inbound endpoint id and its VPC.</summary>
    public string Scope { get; }

    /// <summary>The UDP address served, if any.</summary>
    public IPEndPoint? UdpEndPoint => _udp?.LocalEndPoint;

    /// <summary>The TCP address served, if any.</summary>
    public IPEndPoint? TcpEndPoint => _tcp?.LocalEndPoint;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _removed(this);
        if (_udp is not null)
        {
            await _udp.DisposeAsync().ConfigureAwait(false);
        }

        if (_tcp is not null)
        {
            await _tcp.DisposeAsync().ConfigureAwait(false);
        }
    }
}
