using System.Collections.Immutable;
using Cloister.Tables.Expressions;

namespace Cloister.Tables.Operations;

/// <summary>
/// A single-item write parsed and validated outside the store lock; <see cref="WriteExecutor"/>
/// runs it under the lock. PutItem, UpdateItem, DeleteItem, BatchWriteItem and every action of
/// TransactWriteItems become one of these.
/// </summary>
internal sealed record PreparedWrite(
    WriteKind Kind,
    string TableName,
    Item? Item,
    Item? Key,
    Condition? Condition,
    ImmutableArray<UpdateAction> Update,
    string ReturnValues,
    bool ReturnOldOnConditionFailure)
{
    /// <summary>
    /// The table as the request named it, a name or an ARN: ConsumedCapacity and a batch's answer name it so, as DynamoDB does
    /// ("If you had specified the Amazon Resource Name (ARN) of a table in the input, you'll see the table ARN in the response").
    /// </summary>
    public string GivenTableName { get; init; } = TableName;
}
