using System.Net;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A network load balancer picks a target per flow by hashing the protocol, source and destination addresses and
/// ports (FNV-1a here, then MurmurHash3's finalizer), so one connection always stays on one target and many spread
/// over all. The finalizer matters: FNV-1a's low bits follow the input bytes' low bits (its last bit is their parity),
/// and Linux gives one client's connections neighbouring even ports, so without it a target count of two sent them all
/// to one target.
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

        hash = (hash ^ 6) * 16777619; // TCP
        return Mix(hash);
    }

    /// <summary>MurmurHash3's 32-bit finalizer: every input bit reaches every output bit.</summary>
    private static uint Mix(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >> 16);
    }
}
