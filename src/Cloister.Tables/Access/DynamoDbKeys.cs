namespace Cloister.Tables.Access;

/// <summary>
/// DynamoDB's own condition keys, and which of them a set of policies reads: a key no policy of the request reads is
/// not worked out (the attribute names of an item cost strings), so a policy without fine-grained conditions costs
/// nothing for them.
/// </summary>
[Flags]
internal enum DynamoDbKeys
{
    None = 0,

    /// <summary><c>dynamodb:LeadingKeys</c>: the partition key values of the items a request addresses.</summary>
    LeadingKeys = 1,

    /// <summary><c>dynamodb:Attributes</c>: the top-level attribute names a request reads or writes.</summary>
    Attributes = 2,

    /// <summary><c>dynamodb:Select</c>: what a read returns (ALL_ATTRIBUTES unless told otherwise).</summary>
    Select = 4,

    /// <summary><c>dynamodb:ReturnValues</c>: what a write returns (NONE unless told otherwise).</summary>
    ReturnValues = 8,

    /// <summary><c>dynamodb:ReturnConsumedCapacity</c>, when the request gives it.</summary>
    ReturnConsumedCapacity = 16,

    /// <summary><c>dynamodb:EnclosingOperation</c>: TransactWriteItems or TransactGetItems around an item's action.</summary>
    EnclosingOperation = 32,
}
