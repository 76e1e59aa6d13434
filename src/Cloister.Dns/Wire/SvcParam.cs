using System.Collections.Immutable;

namespace Cloister.Dns.Wire;

/// <summary>One SvcParam of an SVCB or HTTPS record (RFC 9460 §2.2): its key and its value in wire form.</summary>
/// <param name="Key">The SvcParamKey (0 mandatory, 1 alpn, 2 no-default-alpn, 3 port, 4 ipv4hint, 5 ech, 6 ipv6hint...).</param>
/// <param name="Value">The SvcParamValue's bytes.</param>
public readonly record struct SvcParam(ushort Key, ImmutableArray<byte> Value)
{
    /// <summary>The key listing the keys a client must understand to use the record.</summary>
    public const ushort Mandatory = 0;

    /// <summary>The key of the ALPN protocol identifiers.</summary>
    public const ushort Alpn = 1;

    /// <summary>The key saying the scheme's default protocol is not offered.</summary>
    public const ushort NoDefaultAlpn = 2;

    /// <summary>The key of the alternative port.</summary>
    public const ushort Port = 3;

    /// <summary>The key of IPv4 address hints.</summary>
    public const ushort Ipv4Hint = 4;

    /// <summary>The key of the Encrypted ClientHello configuration.</summary>
    public const ushort Ech = 5;

    /// <summary>The key of IPv6 address hints.</summary>
    public const ushort Ipv6Hint = 6;

    /// <summary>The reserved "invalid key".</summary>
    public const ushort InvalidKey = 65535;

    private static readonly string[] Names = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint"];

    /// <summary>The key's presentation name: its mnemonic, or <c>keyNNNNN</c>.</summary>
    public static string NameOf(ushort key) => key < Names.Length ? Names[key] : "key" + key.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key named <paramref name="name"/>: a mnemonic, or <c>keyNNNNN</c> for a key without one.</summary>
    public static bool TryParseKey(ReadOnlySpan<char> name, out ushort key)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                key = (ushort)i;
                return true;
            }
        }

        // keyNNNNN: decimal, no leading zeros (RFC 9460 §2.1), for keys without a mnemonic only.
        key = 0;
        return name.StartsWith("key", StringComparison.Ordinal) && name.Length > 3 && (name[3] != '0' || name.Length == 4)
            && ushort.TryParse(name[3..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out key)
            && key >= Names.Length && key != InvalidKey;
    }

    /// <inheritdoc/>
    public bool Equals(SvcParam other) => Key == other.Key && Value.AsSpan().SequenceEqual(other.Value.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Key, Value.Length);
}
