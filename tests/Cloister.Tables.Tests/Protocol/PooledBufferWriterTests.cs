using System.Text.Json;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Tests.Protocol;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Write_MoreThanInitialCapacity_GrowsAndKeepsEveryByte()
    {
        using var buffer = new PooledBufferWriter(16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < 5000; i++)
            {
                writer.WriteNumberValue(i);
            }

            writer.WriteEndArray();
        }

        var parsed = JsonSerializer.Deserialize<int[]>(buffer.WrittenSpan)!;

        Assert.Equal(Enumerable.Range(0, 5000), parsed);
        Assert.Equal(buffer.WrittenSpan.Length, buffer.WrittenCount);
    }

    [Fact]
    public void Clear_AfterWriting_WrittenCountZero()
    {
        using var buffer = new PooledBufferWriter(8);
        buffer.GetSpan(4)[..4].Fill(1);
        buffer.Advance(4);

        buffer.Clear();

        Assert.Equal(0, buffer.WrittenCount);
        Assert.Throws<InvalidOperationException>(() => buffer.Advance(buffer.GetSpan().Length + 1));
    }
}
