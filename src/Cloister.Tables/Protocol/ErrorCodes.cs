namespace Cloister.Tables.Protocol;

/// <summary>The <c>__type</c> values DynamoDB sends, exactly.</summary>
internal static class ErrorCodes
{
    private const string Dynamo = "com.amazonaws.dynamodb.v20120810#";
    private const string Coral = "com.amazon.coral.service#";

    public const string Validation = "com.amazon.coral.validate#ValidationException";
    public const string ConditionalCheckFailed = Dynamo + "ConditionalCheckFailedException";
    public const string ResourceNotFound = Dynamo + "ResourceNotFoundException";
    public const string ResourceInUse = Dynamo + "ResourceInUseException";
    public const string TransactionCanceled = Dynamo + "TransactionCanceledException";
    public const string IdempotentParameterMismatch = Dynamo + "IdempotentParameterMismatchException";
    public const string TransactionConflict = Dynamo + "TransactionConflictException";
    public const string LimitExceeded = Dynamo + "LimitExceededException";
    public const string InternalServerError = Dynamo + "InternalServerError";
    public const string PolicyNotFound = Dynamo + "PolicyNotFoundException";
    public const string TableNotFound = Dynamo + "TableNotFoundException";
    public const string TableAlreadyExists = Dynamo + "TableAlreadyExistsException";
    public const string TableInUse = Dynamo + "TableInUseException";
    public const string BackupNotFound = Dynamo + "BackupNotFoundException";
    public const string BackupInUse = Dynamo + "BackupInUseException";
    public const string PointInTimeRecoveryUnavailable = Dynamo + "PointInTimeRecoveryUnavailableException";
    public const string InvalidRestoreTime = Dynamo + "InvalidRestoreTimeException";
    public const string Serialization = Coral + "SerializationException";
    public const string UnknownOperation = Coral + "UnknownOperationException";
    public const string UnrecognizedClient = Coral + "UnrecognizedClientException";
    public const string ExpiredToken = Coral + "ExpiredTokenException";
    public const string InvalidSignature = Coral + "InvalidSignatureException";
    public const string IncompleteSignature = Coral + "IncompleteSignatureException";
    public const string MissingAuthenticationToken = Coral + "MissingAuthenticationTokenException";
    public const string AccessDenied = Coral + "AccessDeniedException";
}
