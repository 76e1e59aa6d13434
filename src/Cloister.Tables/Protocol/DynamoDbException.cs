using Cloister.Shared.Validation;
using Cloister.Tables.Values;

namespace Cloister.Tables.Protocol;

/// <summary>
/// An error DynamoDB would send: its <c>__type</c>, its message and, for failed conditions and
/// cancelled transactions, what goes with them. Thrown inside, translated once by the HTTP boundary.
/// </summary>
internal sealed class DynamoDbException : Exception
{
    public DynamoDbException(string type, string message, int statusCode = 400)
        : base(message)
    {
        Type = type;
        StatusCode = statusCode;
    }

    public DynamoDbException()
        : this(ErrorCodes.InternalServerError, "Internal server error", 500)
    {
    }

    public DynamoDbException(string message)
        : this(ErrorCodes.Validation, message)
    {
    }

    public DynamoDbException(string message, Exception innerException)
        : base(message, innerException)
    {
        Type = ErrorCodes.InternalServerError;
        StatusCode = 500;
    }

    public string Type { get; }

    public int StatusCode { get; }

    /// <summary>The old item, for <c>ReturnValuesOnConditionCheckFailure: ALL_OLD</c>.</summary>
    public IReadOnlyDictionary<string, AttributeValue>? Item { get; init; }

    /// <summary>One reason per action of a cancelled transaction.</summary>
    public IReadOnlyList<CancellationReason>? CancellationReasons { get; init; }

    public static DynamoDbException Validation(string message) => new(ErrorCodes.Validation, message);

    /// <summary>DynamoDB's refusal of a required member left out, named as its API model spells it (<c>tags</c>, <c>transactItems.member.get</c>).</summary>
    public static DynamoDbException MemberNull(string member)
    {
        var violations = new ConstraintViolations();
        violations.NotNull(member);
        return Validation(violations);
    }

    /// <summary>Every constraint violation of a request in one ValidationException, as DynamoDB's model validation answers.</summary>
    public static DynamoDbException Validation(ConstraintViolations violations) => Validation(violations.Message);

    public static DynamoDbException Serialization(string message) => new(ErrorCodes.Serialization, message);

    /// <summary>
    /// DynamoDB's answer to a body it cannot read (not JSON, cut short, not UTF-8): the bare type, no message
    /// (<c>{"__type":"com.amazon.coral.service#SerializationException"}</c>).
    /// </summary>
    public static DynamoDbException Unreadable() => new(ErrorCodes.Serialization, "");

    public static DynamoDbException TableNotFound() => new(ErrorCodes.ResourceNotFound, "Requested resource not found");

    public static DynamoDbException MissingAuthenticationToken() => new(ErrorCodes.MissingAuthenticationToken, "Request is missing Authentication Token");

    public static DynamoDbException UnrecognizedClient() => new(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");

    /// <summary>Temporary credentials past their expiry: 400, as DynamoDB answers them (the SDKs then refresh and retry).</summary>
    public static DynamoDbException ExpiredToken() => new(ErrorCodes.ExpiredToken, Cloister.Policy.CallerIdentity.ExpiredTokenMessage);

    public static DynamoDbException ConditionFailed(IReadOnlyDictionary<string, AttributeValue>? item) =>
        new(ErrorCodes.ConditionalCheckFailed, "The conditional request failed") { Item = item };
}
