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

    /// <summary>The comparer for names: ordinal, ignoring ASCII case.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>The name without a final dot; <c>.</c> becomes the root, the empty string.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && name[^1] == '.' && !(name.Length > 1 && name[^2] == '\\') ? name[..^1] : name;
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
        if (name.Length > 0 && name[^1] == '.' && !(name.Length > 1 && name[^2] == '\\'))
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
                int value = name[i];
                if (value == '\\')
                {
                    if (i + 1 >= name.Length)
                    {
                        return false;
                    }

                    if (char.IsAsciiDigit(name[i + 1]))
                    {
                        if (i + 3 >= name.Length)
                        {
                            return false;
                        }

                        if (!char.IsAsciiDigit(name[i + 2]) || !char.IsAsciiDigit(name[i + 3]))
                        {
                            return false;
                        }

                        value = ((name[i + 1] - '0') * 100) + ((name[i + 2] - '0') * 10) + (name[i + 3] - '0');
                        if (value > 255)
                        {
                            return false;
                        }

                        i += 4;
                    }
                    else
                    {
                        value = name[i + 1];
                        i += 2;
                    }
                }
                else
                {
                    i++;
                }

                if (value > 255 || position >= destination.Length || position >= MaxWireLength - 1)
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

    private static bool Fail(ref int offset, int position)
    {
        offset = position;
        return false;
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
