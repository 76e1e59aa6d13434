using System.Collections.Immutable;
using System.Text;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;

namespace Cloister.Tables.Tests.Storage;

public sealed class TableDataTests
{
    private static readonly TableDefinition Table = new(
        "deletes", Guid.NewGuid().ToString(), "PK", null, ImmutableDictionary<string, string>.Empty.Add("PK", "S"),
        "PAY_PER_REQUEST", 0, 0, [], null, false, false, DateTimeOffset.UnixEpoch);

    private static byte[] Key(string name) => Encoding.UTF8.GetBytes(name);

    private static void Put(TableData table, string key, long lsn)
    {
        var stored = StoredItemFactory.Create(Table, new Dictionary<string, AttributeValue> { ["PK"] = AttributeValue.FromString(key) }, lsn);
        table.Put(stored.PartitionKey, stored.SortKey, stored);
    }

    [Fact]
    public void Delete_EarlierDeletesDurable_ForgetsThemButKeepsALaterDeleteOfTheSameKey()
    {
        var table = new TableData(Table);
        foreach (var key in new[] { "a", "b", "c" })
        {
            Put(table, key, 1);
        }

        table.Delete(Key("a"), [], lsn: 2, durableLsn: 1);
        table.Delete(Key("b"), [], lsn: 3, durableLsn: 1);
        Put(table, "b", 4);
        table.Delete(Key("b"), [], lsn: 5, durableLsn: 1);
        var pending = (A: table.AbsenceLsn(Key("a"), []), B: table.AbsenceLsn(Key("b"), []));
        table.Delete(Key("c"), [], lsn: 6, durableLsn: 4);

        Assert.Equal((2L, 5L), pending);
        Assert.Equal(0, table.AbsenceLsn(Key("a"), []));
        Assert.Equal(5, table.AbsenceLsn(Key("b"), []));
        Assert.Equal(6, table.AbsenceLsn(new ItemKeySpan(Key("c"), [])));
        Assert.Equal(0, table.AbsenceLsn(Key("never"), []));
        Assert.Equal(6, table.LastRemovalLsn);
        Assert.Equal(0, table.Count);
    }
}
