using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A network load balancer picks a target per flow by hashing the protocol, source and destination addresses and
/// ports (FNV-1a here), so one connection always stays on one target and many spread over all.
/// </summary>
internal static class FlowHash
{
    public static uint Of(IPEndPoint source, IPEndPoint destination)
    {
        Span<byte> bytes = stackalloc byte[16];
        uint hash = 2166136261;
        foreach (var endpoint in (ReadOnlySpan<IPEndPoint>)[source, destination])
        {
            if (!endpoint.Address.TryWriteBytes(bytes, out var written))
            {
                written = 0;
            }

            foreach (var b in bytes[..written])
            {
                hash = (hash ^ b) * 16777619;
            }

            hash = (hash ^ (uint)(endpoint.Port & 0xff)) * 16777619;
            hash = (hash ^ (uint)(endpoint.Port >> 8)) * 16777619;
        }

        return (hash ^ 6) * 16777619; // TCP
    }
}
