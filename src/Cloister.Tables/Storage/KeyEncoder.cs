using System.Buffers.Binary;
using System.Text;
using Cloister.Tables.Values;

namespace Cloister.Tables.Storage;

/// <summary>
/// Encodes key values (S, N, B) into bytes whose unsigned lexicographic order is DynamoDB's key
/// order: strings by UTF-8 bytes, binaries by unsigned bytes, numbers numerically. Numbers become
/// a sign byte, a biased exponent and one byte per digit, complemented for negatives.
/// </summary>
internal static class KeyEncoder
{
    private const byte NegativeTag = 0x40;
    private const byte ZeroTag = 0x80;
    private const byte PositiveTag = 0xC0;

    public static byte[] Encode(AttributeValue value) => value.Kind switch
    {
        AttributeKind.S => Encoding.UTF8.GetBytes(value.S),
        AttributeKind.B => value.B,
        AttributeKind.N => EncodeNumber(value.N),
        _ => throw new ArgumentException("Only S, N and B can be key values.", nameof(value)),
    };

    public static AttributeValue Decode(ReadOnlySpan<byte> bytes, string type) => type switch
    {
        "S" => AttributeValue.FromString(Encoding.UTF8.GetString(bytes)),
        "B" => AttributeValue.FromBinary(bytes.ToArray()),
        _ => throw new ArgumentException("Numbers are decoded from the stored item.", nameof(type)),
    };

    public static byte[] EncodeNumber(DynamoNumber number)
    {
        if (number.IsZero)
        {
            return [ZeroTag];
        }

        var digits = number.MagnitudeDigits();
        var bytes = new byte[3 + digits.Length + 1];
        bytes[0] = number.Sign > 0 ? PositiveTag : NegativeTag;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1), (ushort)(number.AdjustedExponent + 0x8000));
        for (var i = 0; i < digits.Length; i++)
        {
            bytes[3 + i] = (byte)(digits[i] - '0' + 1);
        }

        if (number.Sign < 0)
        {
            for (var i = 1; i < bytes.Length; i++)
            {
                bytes[i] = (byte)~bytes[i];
            }
        }

        return bytes;
    }
}
