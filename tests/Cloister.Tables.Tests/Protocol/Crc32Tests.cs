using System.Text;
using Cloister.Shared.Hashing;

namespace Cloister.Tables.Tests.Protocol;

/// <summary>The sliced CRC-32 against the standard check value and a bit-at-a-time reference.</summary>
public sealed class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_StandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute(default));
    }

    [Fact]
    public void Compute_EveryLengthUpTo300_MatchesBitwiseReference()
    {
        var random = new Random(32);
        var data = new byte[300];
        random.NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            var slice = data.AsSpan(random.Next(0, data.Length - length + 1), length);
            Assert.Equal(Reference(slice), Crc32.Compute(slice));
        }
    }

    [Fact]
    public void Compute_DynamoDbEmptyResultBody_KnownValue()
    {
        // DynamoDB's body for a GetItem that finds nothing is "{}", which SDKs check against this CRC.
        Assert.Equal(2745614147u, Crc32.Compute(Encoding.ASCII.GetBytes("{}")));
    }

    private static uint Reference(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
