using System.Buffers;
using System.Buffers.Binary;

namespace Cloister.Dns.Wire;

/// <summary>
/// Domain names in presentation form: labels joined by dots, no final dot, the root as the empty string.
/// Label bytes outside printable ASCII, dots and backslashes are written as <c>\DDD</c> so every wire name
/// has exactly one presentation form. Comparisons are ASCII case-insensitive.
/// </summary>
public static class DnsName
{
    /// <summary>The most bytes a name takes on the wire, final zero byte included.</summary>
    public const int MaxWireLength = 255;

    /// <summary>The most bytes in one label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The most compression pointers followed in one name before it is taken for a loop.</summary>
    internal const int MaxPointers = 64;

    /// <summary>
    /// What a name in canonical form never holds: a backslash may start an escape that is written otherwise, and the
    /// others are written escaped (see <see cref="AppendEscaped"/>).
    /// </summary>
    private static readonly SearchValues<char> NotCanonical = SearchValues.Create(CanonicalExceptions());

    /// <summary>The comparer for names: ordinal, ignoring ASCII case.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// The name in the one presentation form <see cref="TryRead"/> gives a wire name: without a final dot (<c>.</c> becomes
    /// the root, the empty string) and with every escape rewritten as the reader writes it — <c>\.</c> and <c>\046</c> both
    /// become <c>\046</c>, <c>\\</c> <c>\092</c>, <c>\a</c> and <c>\097</c> <c>a</c>, a bare <c>(</c> <c>\040</c> — so that names
    /// written either way compare equal. A dot after an escaped backslash (<c>a\\.</c>) is a final dot. A name that
    /// is not valid (a bad escape, a character beyond one byte) only loses its final dot, and stays invalid.
    /// </summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var body = HasFinalDot(name) ? name.AsSpan(0, name.Length - 1) : name.AsSpan();
        if (!body.ContainsAny(NotCanonical))
        {
            return body.Length == name.Length ? name : new string(body);
        }

        return TryCanonicalize(body, out var canonical) ? canonical : new string(body);
    }

    /// <summary>The name with a final dot, as Route 53's logs and dig print it.</summary>
    public static string WithFinalDot(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length == 0 ? "." : name + ".";
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="domain"/> or below it.</summary>
    public static bool IsAtOrBelow(string name, string domain)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Length == 0)
        {
            return true;
        }

        if (name.Length == domain.Length)
        {
            return name.Equals(domain, StringComparison.OrdinalIgnoreCase);
        }

        return name.Length > domain.Length
            && name[name.Length - domain.Length - 1] == '.'
            && name.EndsWith(domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The name one label up, or null for the root.</summary>
    public static string? Parent(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return null;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\')
            {
                i++;
            }
            else if (name[i] == '.')
            {
                return name[(i + 1)..];
            }
        }

        return string.Empty;
    }

    /// <summary>The number of labels in the name; the root has none.</summary>
    public static int LabelCount(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return 0;
        }

        var count = 1;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\')
            {
                i++;
            }
            else if (name[i] == '.')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Encodes a presentation-form name as uncompressed wire labels ending in the zero byte.
    /// False when a label is empty or too long, the name too long, or an escape malformed.
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<char> name, Span<byte> destination, out int written)
    {
        written = 0;
        if (HasFinalDot(name))
        {
            name = name[..^1];
        }

        if (destination.Length < 1)
        {
            return false;
        }

        var position = 0;
        var i = 0;
        while (i < name.Length)
        {
            var lengthAt = position++;
            var labelLength = 0;
            while (i < name.Length && name[i] != '.')
            {
                if (!TryReadLabelByte(name, ref i, out var value) || position >= destination.Length || position >= MaxWireLength - 1)
                {
                    return false;
                }

                destination[position++] = (byte)value;
                labelLength++;
            }

            if (labelLength == 0 || labelLength > MaxLabelLength)
            {
                return false;
            }

            destination[lengthAt] = (byte)labelLength;
            i++;
            if (i == name.Length && name[^1] == '.')
            {
                return false;
            }
        }

        if (position >= destination.Length || position + 1 > MaxWireLength)
        {
            return false;
        }

        destination[position++] = 0;
        written = position;
        return true;
    }

    /// <summary>Whether the text is a valid presentation-form name.</summary>
    public static bool IsValid(string name)
    {
        Span<byte> scratch = stackalloc byte[MaxWireLength];
        return TryEncode(name, scratch, out _);
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/>, advancing it past the name's bytes in place.
    /// Pointers must point strictly backwards; labels, the name's length and the number of pointers are bounded.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, ref int offset, out string name, out DnsParseError error)
    {
        Span<char> text = stackalloc char[MaxWireLength * 4];
        var textLength = 0;
        var position = offset;
        var end = -1;
        var wireLength = 1;
        var pointers = 0;
        var lowestLabelStart = offset;
        name = string.Empty;
        while (true)
        {
            if (position >= message.Length)
            {
                error = DnsParseError.Truncated;
                return Fail(ref offset, position);
            }

            var length = message[position];
            switch (length & 0xC0)
            {
                case 0x00:
                    if (length == 0)
                    {
                        offset = end >= 0 ? end : position + 1;
                        name = textLength == 0 ? string.Empty : new string(text[..textLength]);
                        error = DnsParseError.None;
                        return true;
                    }

                    if (position + 1 + length > message.Length)
                    {
                        error = DnsParseError.Truncated;
                        return Fail(ref offset, position);
                    }

                    wireLength += length + 1;
                    if (wireLength > MaxWireLength)
                    {
                        error = DnsParseError.NameTooLong;
                        return Fail(ref offset, position);
                    }

                    if (textLength > 0)
                    {
                        text[textLength++] = '.';
                    }

                    foreach (var b in message.Slice(position + 1, length))
                    {
                        textLength += AppendEscaped(b, text[textLength..]);
                    }

                    position += length + 1;
                    break;
                case 0xC0:
                    if (position + 1 >= message.Length)
                    {
                        error = DnsParseError.Truncated;
                        return Fail(ref offset, position);
                    }

                    var target = BinaryPrimitives.ReadUInt16BigEndian(message[position..]) & 0x3FFF;
                    if (target >= lowestLabelStart || ++pointers > MaxPointers)
                    {
                        error = DnsParseError.BadPointer;
                        return Fail(ref offset, position);
                    }

                    if (end < 0)
                    {
                        end = position + 2;
                    }

                    lowestLabelStart = target;
                    position = target;
                    break;
                default:
                    error = DnsParseError.BadLabelType;
                    return Fail(ref offset, position);
            }
        }
    }

    private static string CanonicalExceptions()
    {
        var characters = new List<char> { '\\', '"', '(', ')', ';', '@', '$' };
        for (var c = (char)0; c <= ' '; c++)
        {
            characters.Add(c);
        }

        for (var c = (char)0x7F; c <= 0xFF; c++)
        {
            characters.Add(c);
        }

        return new string([.. characters]);
    }

    private static bool Fail(ref int offset, int position)
    {
        offset = position;
        return false;
    }

    /// <summary>
    /// Whether the name ends in a dot that separates labels: one after an even run of backslashes (<c>a.</c>,
    /// <c>a\\.</c>), not one escaped by an odd run (<c>a\.</c>, <c>a\\\.</c>).
    /// </summary>
    private static bool HasFinalDot(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || name[^1] != '.')
        {
            return false;
        }

        var backslashes = 0;
        for (var i = name.Length - 2; i >= 0 && name[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 0;
    }

    /// <summary>
    /// Rewrites every label byte of a name without its final dot as <see cref="AppendEscaped"/> writes it; false for an
    /// escape that is cut short or above 255, or a character beyond one byte.
    /// </summary>
    private static bool TryCanonicalize(ReadOnlySpan<char> name, out string canonical)
    {
        canonical = string.Empty;
        var buffer = ArrayPool<char>.Shared.Rent((name.Length * 4) + 4);
        try
        {
            var length = 0;
            for (var i = 0; i < name.Length;)
            {
                if (name[i] == '.')
                {
                    buffer[length++] = '.';
                    i++;
                }
                else if (TryReadLabelByte(name, ref i, out var value))
                {
                    length += AppendEscaped(value, buffer.AsSpan(length));
                }
                else
                {
                    return false;
                }
            }

            canonical = new string(buffer, 0, length);
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads one label byte at <paramref name="i"/>, advancing past it: a character, <c>\X</c> or <c>\DDD</c>. False for an
    /// escape cut short or above 255, or a character beyond one byte.
    /// </summary>
    private static bool TryReadLabelByte(ReadOnlySpan<char> name, ref int i, out byte value)
    {
        value = 0;
        int read = name[i];
        if (read != '\\')
        {
            i++;
        }
        else if (i + 1 >= name.Length)
        {
            return false;
        }
        else if (!char.IsAsciiDigit(name[i + 1]))
        {
            read = name[i + 1];
            i += 2;
        }
        else if (i + 3 < name.Length && char.IsAsciiDigit(name[i + 2]) && char.IsAsciiDigit(name[i + 3]))
        {
            read = ((name[i + 1] - '0') * 100) + ((name[i + 2] - '0') * 10) + (name[i + 3] - '0');
            i += 4;
        }
        else
        {
            return false;
        }

        if (read > 255)
        {
            return false;
        }

        value = (byte)read;
        return true;
    }

    private static int AppendEscaped(byte b, Span<char> destination)
    {
        if (b is > 0x20 and < 0x7F && b != (byte)'.' && b != (byte)'\\' && b != (byte)'"' && b != (byte)'(' && b != (byte)')' && b != (byte)';' && b != (byte)'@' && b != (byte)'$')
        {
            destination[0] = (char)b;
            return 1;
        }

        destination[0] = '\\';
        destination[1] = (char)('0' + (b / 100));
        destination[2] = (char)('0' + (b / 10 % 10));
        destination[3] = (char)('0' + (b % 10));
        return 4;
    }
}
