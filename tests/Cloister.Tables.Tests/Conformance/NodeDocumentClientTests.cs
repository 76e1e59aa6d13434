using System.Text.Json;

namespace Cloister.Tables.Tests.Conformance;

/// <summary>Node's <c>@aws-sdk/lib-dynamodb</c> DocumentClient (tests/conformance/node) against the real service.</summary>
public sealed class NodeDocumentClientTests(TablesServerFixture fixture) : IClassFixture<TablesServerFixture>
{
    [Fact]
    public async Task DocumentClient_PutGetUpdateQueryDeleteTransact_Succeeds()
    {
        var folder = Path.Combine(ProcessRunner.RepositoryRoot, "tests", "conformance", "node");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "lib-dynamodb")), "run ./test (or npm ci in tests/conformance/node) first");
        var table = TablesServerFixture.UniqueName("node");

        var (code, output, error) = await ProcessRunner.RunAsync("node", ["dynamodb-document-client.mjs", fixture.Url.ToString().TrimEnd('/'), table], folder);

        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(12.5, result.GetProperty("get").GetProperty("amount").GetDouble());
        Assert.Equal("two", result.GetProperty("get").GetProperty("meta").GetProperty("nested")[1].GetString());
        Assert.Equal(["a", "b"], result.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        Assert.Equal("OPEN", result.GetProperty("update").GetProperty("status").GetString());
        Assert.Equal(12.75, result.GetProperty("update").GetProperty("amount").GetDouble());
        Assert.Equal("TransactionCanceledException:ConditionalCheckFailed", result.GetProperty("cancelled").GetString());
        Assert.Equal(["CLAIM#1", "CLAIM#2"], result.GetProperty("query").EnumerateArray().Select(sk => sk.GetString()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("afterDelete").ValueKind);
    }
}
