using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Access;

/// <summary>The names of <see cref="DynamoDbKeys"/> as policies write them, and which of them policies read.</summary>
internal static class DynamoDbKeyNames
{
    public const string LeadingKeys = "dynamodb:LeadingKeys";
    public const string Attributes = "dynamodb:Attributes";
    public const string Select = "dynamodb:Select";
    public const string ReturnValues = "dynamodb:ReturnValues";
    public const string ReturnConsumedCapacity = "dynamodb:ReturnConsumedCapacity";
    public const string EnclosingOperation = "dynamodb:EnclosingOperation";

    /// <summary>The DynamoDB keys <paramref name="policy"/> reads (none for null).</summary>
    public static DynamoDbKeys ReadBy(PolicyDocument? policy)
    {
        if (policy is null)
        {
            return DynamoDbKeys.None;
        }

        var keys = DynamoDbKeys.None;
        keys |= policy.ReadsKey(LeadingKeys) ? DynamoDbKeys.LeadingKeys : 0;
        keys |= policy.ReadsKey(Attributes) ? DynamoDbKeys.Attributes : 0;
        keys |= policy.ReadsKey(Select) ? DynamoDbKeys.Select : 0;
        keys |= policy.ReadsKey(ReturnValues) ? DynamoDbKeys.ReturnValues : 0;
        keys |= policy.ReadsKey(ReturnConsumedCapacity) ? DynamoDbKeys.ReturnConsumedCapacity : 0;
        keys |= policy.ReadsKey(EnclosingOperation) ? DynamoDbKeys.EnclosingOperation : 0;
        return keys;
    }

    /// <summary>The DynamoDB keys any of <paramref name="policies"/> reads.</summary>
    public static DynamoDbKeys ReadBy(IEnumerable<PolicyDocument?> policies) =>
        policies.Aggregate(DynamoDbKeys.None, (keys, policy) => keys | ReadBy(policy));
}
