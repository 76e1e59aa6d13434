using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>
/// The data of an SVCB or HTTPS record (RFC 9460): SvcPriority (0 is AliasMode), TargetName (never compressed, §2.2) and
/// SvcParams in strictly increasing key order. Every known key's value is well formed, so the data always presents.
/// </summary>
/// <param name="Priority">SvcPriority: 0 for AliasMode, else ServiceMode's order of preference.</param>
/// <param name="Target">TargetName without the final dot; empty for the root (<c>.</c>).</param>
/// <param name="Params">The SvcParams, keys strictly increasing.</param>
public sealed record SvcbRecordData(ushort Priority, string Target, ImmutableArray<SvcParam> Params) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer)
    {
        if (!writer.TryWriteUInt16(Priority) || !writer.TryWriteName(Target, compress: false))
        {
            return false;
        }

        foreach (var param in Params)
        {
            if (param.Value.Length > ushort.MaxValue || !writer.TryWriteUInt16(param.Key) || !writer.TryWriteUInt16((ushort)param.Value.Length) || !writer.TryWriteBytes(param.Value.AsSpan()))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the record data in <c>data[offset..end]</c>; false when it is not well-formed SVCB data.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> data, int offset, int end, out SvcbRecordData record)
    {
        record = null!;
        var bounded = data[..end];
        if (end - offset < 3)
        {
            return false;
        }

        var priority = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        offset += 2;
        if (!DnsName.TryRead(bounded, ref offset, out var target, out _))
        {
            return false;
        }

        var list = ImmutableArray.CreateBuilder<SvcParam>();
        while (offset < end)
        {
            if (end - offset < 4)
            {
                return false;
            }

            var key = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            offset += 4;
            if (length > end - offset)
            {
                return false;
            }

            list.Add(new SvcParam(key, [.. data.Slice(offset, length)]));
            offset += length;
        }

        var candidate = new SvcbRecordData(priority, target, list.ToImmutable());
        if (candidate.Problem() is not null)
        {
            return false;
        }

        record = candidate;
        return true;
    }

    /// <summary>What makes the SvcParams malformed on the wire (RFC 9460 §2.2, §7, §8), or null when they are not.</summary>
    internal string? Problem()
    {
        for (var i = 0; i < Params.Length; i++)
        {
            var key = Params[i].Key;
            var value = Params[i].Value.AsSpan();
            if (i > 0 && key <= Params[i - 1].Key)
            {
                return $"the key {SvcParam.NameOf(key)} appears twice";
            }

            var problem = key switch
            {
                SvcParam.InvalidKey => "key65535 is reserved as the invalid key",
                SvcParam.Mandatory when value.IsEmpty || value.Length % 2 != 0 || !StrictlyIncreasing(value) => "mandatory needs a list of keys, each once",
                SvcParam.Alpn when !AlpnWellFormed(value) => "alpn needs a list of protocol identifiers of 1 to 255 bytes",
                SvcParam.NoDefaultAlpn when !value.IsEmpty => "no-default-alpn takes no value",
                SvcParam.Port when value.Length != 2 => "port needs one port number",
                SvcParam.Ipv4Hint when value.IsEmpty || value.Length % 4 != 0 => "ipv4hint needs a list of IPv4 addresses",
                SvcParam.Ech when value.IsEmpty => "ech needs a base64 ECHConfigList",
                SvcParam.Ipv6Hint when value.IsEmpty || value.Length % 16 != 0 => "ipv6hint needs a list of IPv6 addresses",
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>RFC 9460 §8: mandatory's keys go on the wire in strictly increasing order.</summary>
    private static bool StrictlyIncreasing(ReadOnlySpan<byte> keys)
    {
        for (var i = 2; i < keys.Length; i += 2)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(keys[i..]) <= BinaryPrimitives.ReadUInt16BigEndian(keys[(i - 2)..]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AlpnWellFormed(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        while (!value.IsEmpty)
        {
            if (value[0] == 0 || value[0] >= value.Length)
            {
                return false;
            }

            value = value[(1 + value[0])..];
        }

        return true;
    }

    /// <inheritdoc/>
    public bool Equals(SvcbRecordData? other) =>
        other is not null && Priority == other.Priority && DnsName.Comparer.Equals(Target, other.Target) && Params.SequenceEqual(other.Params);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Priority, Params.Length);

    /// <summary>RFC 9460's presentation form, keys in wire order and values as dig prints them.</summary>
    public override string ToPresentation()
    {
        var builder = new StringBuilder();
        builder.Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(DnsName.WithFinalDot(Target));
        foreach (var param in Params)
        {
            builder.Append(' ').Append(SvcParam.NameOf(param.Key));
            var value = param.Value.AsSpan();
            switch (param.Key)
            {
                case SvcParam.NoDefaultAlpn:
                    break;
                case SvcParam.Mandatory:
                    builder.Append('=');
                    for (var i = 0; i < value.Length; i += 2)
                    {
                        builder.Append(i == 0 ? string.Empty : ",").Append(SvcParam.NameOf(BinaryPrimitives.ReadUInt16BigEndian(value[i..])));
                    }

                    break;
                case SvcParam.Alpn:
                    var ids = new StringBuilder();
                    while (!value.IsEmpty)
                    {
                        var id = Encoding.Latin1.GetString(value.Slice(1, value[0]));
                        ids.Append(ids.Length == 0 ? string.Empty : ",").Append(id.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal));
                        value = value[(1 + value[0])..];
                    }

                    CharacterString.AppendQuoted(builder.Append('='), ids.ToString());
                    break;
                case SvcParam.Port:
                    builder.Append('=').Append(BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture));
                    break;
                case SvcParam.Ipv4Hint:
                case SvcParam.Ipv6Hint:
                    var width = param.Key == SvcParam.Ipv4Hint ? 4 : 16;
                    builder.Append('=');
                    for (var i = 0; i < value.Length; i += width)
                    {
                        builder.Append(i == 0 ? string.Empty : ",").Append(new IPAddress(value.Slice(i, width)).ToString());
                    }

                    break;
                case SvcParam.Ech:
                    builder.Append('=').Append(Convert.ToBase64String(value));
                    break;
                default:
                    CharacterString.AppendQuoted(builder.Append('='), Encoding.Latin1.GetString(value));
                    break;
            }
        }

        return builder.ToString();
    }
}
