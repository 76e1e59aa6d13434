using System.Buffers.Binary;

namespace Cloister.Dns.Wire;

/// <summary>
/// Writes a DNS message into a caller's buffer, compressing names against those already written.
/// Every method returns false when the buffer (or the size limit) would be exceeded and leaves the
/// position where it was, so a caller can stop at a record boundary and set TC.
/// </summary>
public ref struct DnsWriter
{
    private const int MaxCompressionTargets = 128;
    private readonly Span<byte> _buffer;
    private readonly Span<ushort> _targets;
    private int _targetCount;

    /// <summary>Creates a writer over <paramref name="buffer"/>; <paramref name="compressionTargets"/> holds offsets of names already written (128 entries is plenty).</summary>
    public DnsWriter(Span<byte> buffer, Span<ushort> compressionTargets)
    {
        _buffer = buffer;
        _targets = compressionTargets.Length > MaxCompressionTargets ? compressionTargets[..MaxCompressionTargets] : compressionTargets;
        _targetCount = 0;
        Position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public int Position { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[..Position];

    /// <summary>Moves back to <paramref name="position"/>, forgetting compression targets written after it.</summary>
    public void Rewind(int position)
    {
        Position = position;
        while (_targetCount > 0 && _targets[_targetCount - 1] >= position)
        {
            _targetCount--;
        }
    }

    /// <summary>Writes <paramref name="header"/> over the first 12 bytes, which the caller reserved.</summary>
    public readonly void WriteHeader(DnsHeader header) => header.Write(_buffer);

    /// <summary>Writes one byte.</summary>
    public bool TryWriteByte(byte value)
    {
        if (Position + 1 > _buffer.Length)
        {
            return false;
        }

        _buffer[Position++] = value;
        return true;
    }

    /// <summary>Writes a big-endian 16-bit value.</summary>
    public bool TryWriteUInt16(ushort value)
    {
        if (Position + 2 > _buffer.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
        return true;
    }

    /// <summary>Writes a big-endian 32-bit value.</summary>
    public bool TryWriteUInt32(uint value)
    {
        if (Position + 4 > _buffer.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
        return true;
    }

    /// <summary>Writes raw bytes.</summary>
    public bool TryWriteBytes(scoped ReadOnlySpan<byte> value)
    {
        if (Position + value.Length > _buffer.Length)
        {
            return false;
        }

        value.CopyTo(_buffer[Position..]);
        Position += value.Length;
        return true;
    }

    /// <summary>Overwrites a 16-bit value at an earlier position (record data lengths, counts).</summary>
    public readonly void PatchUInt16(int position, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[position..], value);

    /// <summary>Writes a name, pointing at an earlier copy of its longest known suffix when <paramref name="compress"/> is set.</summary>
    public bool TryWriteName(string name, bool compress = true)
    {
        Span<byte> encoded = stackalloc byte[DnsName.MaxWireLength];
        if (!DnsName.TryEncode(name, encoded, out var length))
        {
            return false;
        }

        return TryWriteEncodedName(encoded[..length], compress);
    }

    /// <summary>Writes a name already in uncompressed wire form.</summary>
    public bool TryWriteEncodedName(scoped ReadOnlySpan<byte> encoded, bool compress = true)
    {
        var start = Position;
        var suffix = 0;
        while (encoded[suffix] != 0)
        {
            if (compress)
            {
                var match = FindSuffix(encoded[suffix..]);
                if (match >= 0)
                {
                    if (!TryWriteBytes(encoded[..suffix]) || !TryWriteUInt16((ushort)(0xC000 | match)))
                    {
                        Rewind(start);
                        return false;
                    }

                    Remember(start, encoded[..suffix]);
                    return true;
                }
            }

            suffix += encoded[suffix] + 1;
        }

        if (!TryWriteBytes(encoded))
        {
            Rewind(start);
            return false;
        }

        Remember(start, encoded[..^1]);
        return true;
    }

    private void Remember(int start, scoped ReadOnlySpan<byte> labels)
    {
        var at = 0;
        while (at < labels.Length && _targetCount < _targets.Length && start + at < 0x3FFF)
        {
            _targets[_targetCount++] = (ushort)(start + at);
            at += labels[at] + 1;
        }
    }

    private readonly int FindSuffix(scoped ReadOnlySpan<byte> suffix)
    {
        for (var t = 0; t < _targetCount; t++)
        {
            if (WireNameEquals(_targets[t], suffix))
            {
                return _targets[t];
            }
        }

        return -1;
    }

    private readonly bool WireNameEquals(int position, scoped ReadOnlySpan<byte> suffix)
    {
        var at = 0;
        var hops = 0;
        while (true)
        {
            var length = _buffer[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (++hops > DnsName.MaxPointers)
                {
                    return false;
                }

                position = BinaryPrimitives.ReadUInt16BigEndian(_buffer[position..]) & 0x3FFF;
                continue;
            }

            if (length != suffix[at])
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            for (var i = 1; i <= length; i++)
            {
                if (AsciiLower(_buffer[position + i]) != AsciiLower(suffix[at + i]))
                {
                    return false;
                }
            }

            position += length + 1;
            at += length + 1;
        }
    }

    private static byte AsciiLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
