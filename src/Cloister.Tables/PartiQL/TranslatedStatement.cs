using System.Text.Json;

namespace Cloister.Tables.PartiQL;

/// <summary>
/// A PartiQL statement as the item operation that runs it: its name (<c>Query</c>, <c>Scan</c>, <c>PutItem</c>,
/// <c>UpdateItem</c>, <c>DeleteItem</c>), the request it would be sent, and the IAM action PartiQL checks for it.
/// </summary>
internal sealed class TranslatedStatement(string operation, string action, PartiqlStatement statement, JsonDocument document) : IDisposable
{
    public string Operation { get; } = operation;

    /// <summary><c>dynamodb:PartiQLSelect</c>, <c>PartiQLInsert</c>, <c>PartiQLUpdate</c> or <c>PartiQLDelete</c>.</summary>
    public string Action { get; } = action;

    public PartiqlStatement Statement { get; } = statement;

    public JsonElement Request => document.RootElement;

    public void Dispose() => document.Dispose();
}
