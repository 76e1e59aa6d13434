using System.Buffers.Binary;

namespace Cloister.Shared.Hashing;

/// <summary>
/// CRC-32 (IEEE 802.3), which DynamoDB sends over every response body in <c>x-amz-crc32</c> and SDKs
/// verify, and which checks the prelude and each message of <c>application/vnd.amazon.eventstream</c> (Lambda's
/// InvokeWithResponseStream). Slicing-by-8 (eight bytes per step through eight tables): System.IO.Hashing is not on
/// the package mirror, and one table lookup per byte was a visible share of a GetItem.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;
    private static readonly uint[] Tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    /// <summary>The CRC of three pieces written one after another, without joining them.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third) =>
        ~Update(Update(Update(0xFFFFFFFFu, first), second), third);

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Tables.AsSpan();
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = table[(7 * 256) + (int)(low & 0xFF)] ^
                table[(6 * 256) + (int)((low >> 8) & 0xFF)] ^
                table[(5 * 256) + (int)((low >> 16) & 0xFF)] ^
                table[(4 * 256) + (int)(low >> 24)] ^
                table[(3 * 256) + (int)(high & 0xFF)] ^
                table[(2 * 256) + (int)((high >> 8) & 0xFF)] ^
                table[256 + (int)((high >> 16) & 0xFF)] ^
                table[(int)(high >> 24)];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = table[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (var i = 0u; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? Polynomial ^ (value >> 1) : value >> 1;
            }

            tables[i] = value;
        }

        // Table k holds the CRC of a byte followed by k zero bytes.
        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[((k - 1) * 256) + i];
                tables[(k * 256) + i] = (previous >> 8) ^ tables[(int)(previous & 0xFF)];
            }
        }

        return tables;
    }
}
