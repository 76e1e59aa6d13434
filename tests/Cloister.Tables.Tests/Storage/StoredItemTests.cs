using System.Collections.Immutable;
using System.Text;
using Cloister.Shared.Hashing;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;
using Cloister.Tables.Values;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Tests.Storage;

public sealed class StoredItemTests : IDisposable
{
    private static readonly TableDefinition Table = new(
        "claims", Guid.NewGuid().ToString(), "PK", "SK", ImmutableDictionary<string, string>.Empty.Add("PK", "S").Add("SK", "S"),
        "PAY_PER_REQUEST", 0, 0, [], null, false, false, DateTimeOffset.UnixEpoch);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloister-stored-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Create_Item_KeepsItsJsonAndDecodesItBackEqual()
    {
        var item = Claim("m-1", "c-1");

        var stored = StoredItemFactory.Create(Table, item, 7);

        Assert.Equal("""{"PK":{"S":"MEMBER#m-1"},"SK":{"S":"CLAIM#c-1"},"amount":{"N":"120.5"},"tags":{"SS":["a","b"]},"detail":{"M":{"visits":{"L":[{"N":"1"},{"BOOL":true}]}}}}""", Encoding.UTF8.GetString(stored.Json));
        Assert.Equal(item, stored.ReadItem());
        Assert.Equal(7, stored.Lsn);
        Assert.Equal(StoredItemFactory.ItemSize(item), stored.Size);
        Assert.NotSame(stored.ReadItem(), stored.ReadItem());
    }

    [Fact]
    public void ResponseCrc_StoredItem_IsTheCrcOfTheWholeGetItemBody()
    {
        var stored = StoredItemFactory.Create(Table, Claim("m-1", "c-2"), 1);

        var body = Encoding.UTF8.GetBytes("{\"Item\":" + Encoding.UTF8.GetString(stored.Json) + "}");

        Assert.Equal(Crc32.Compute(body), stored.ResponseCrc);
    }

    [Fact]
    public void ReadAttribute_TopLevelNames_DecodesThatOneAndSkipsNestedNamesAndOthers()
    {
        var stored = StoredItemFactory.Create(Table, Claim("m-1", "c-3"), 1);

        Assert.Equal("120.5", stored.ReadAttribute("amount")!.N.ToString());
        Assert.Equal(["a", "b"], stored.ReadAttribute("tags")!.SS);
        Assert.Equal(AttributeKind.M, stored.ReadAttribute("detail")!.Kind);
        Assert.Null(stored.ReadAttribute("visits"));
        Assert.Null(stored.ReadAttribute("Amount"));
    }

    [Fact]
    public async Task Open_ItemNestedThirtyTwoLevels_RestoredFromTheJournalAsWritten()
    {
        var value = AttributeValue.FromString("deep");
        for (var level = 0; level < AttributeValueReader.MaxNesting; level++)
        {
            value = AttributeValue.FromMap(new Dictionary<string, AttributeValue> { ["m"] = value });
        }

        var item = new Dictionary<string, AttributeValue>(Claim("m-1", "c-4")) { ["nested"] = value };
        var store = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        StoredItem written;
        long lsn;
        lock (store.Gate)
        {
            store.AddTable(new TableData(Table));
            store.Append([JournalOperation.PutTable(Table)]);
            written = StoredItemFactory.Create(Table, item, store.NextLsn);
            store.GetTable(Table.Name).Put(written.PartitionKey, written.SortKey, written);
            lsn = store.Append([JournalOperation.PutItem(Table.Name, written)]);
        }

        await store.WaitDurableAsync(lsn);
        await store.DisposeAsync();

        var reopened = TableStore.Open(_directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
        var restored = reopened.GetTable(Table.Name).Get(written.PartitionKey, written.SortKey);
        await reopened.DisposeAsync();

        Assert.NotNull(restored);
        Assert.Equal(written.Json, restored.Json);
        Assert.Equal(written.ResponseCrc, restored.ResponseCrc);
        Assert.Equal(written.Size, restored.Size);
        Assert.Equal(item, restored.ReadItem());
    }

    private static Dictionary<string, AttributeValue> Claim(string member, string claim) => new(StringComparer.Ordinal)
    {
        ["PK"] = AttributeValue.FromString("MEMBER#" + member),
        ["SK"] = AttributeValue.FromString("CLAIM#" + claim),
        ["amount"] = AttributeValue.FromNumber(AttributeValueReader.ParseNumber("120.50")),
        ["tags"] = AttributeValue.FromStringSet(["a", "b"]),
        ["detail"] = AttributeValue.FromMap(new Dictionary<string, AttributeValue>
        {
            ["visits"] = AttributeValue.FromList([AttributeValue.FromNumber(DynamoNumber.FromInt64(1)), AttributeValue.FromBool(true)]),
        }),
    };
}
