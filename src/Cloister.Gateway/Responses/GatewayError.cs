namespace Cloister.Gateway.Responses;

/// <summary>
/// A request the gateway answers itself, as a value: the gateway response type that can override it,
/// AWS's default status, message and <c>x-amzn-ErrorType</c>. Turned into bytes once, by <see cref="GatewayResponseWriter"/>.
/// </summary>
/// <param name="ResponseType">The gateway response type (<c>ACCESS_DENIED</c>, <c>DEFAULT_4XX</c>...).</param>
/// <param name="StatusCode">AWS's default status.</param>
/// <param name="Message">The message (<c>$context.error.message</c>); null where AWS sends <c>{"message": null}</c>.</param>
/// <param name="ErrorType">The <c>x-amzn-ErrorType</c> header; null when AWS sends none.</param>
internal sealed record GatewayError(string ResponseType, int StatusCode, string? Message, string? ErrorType)
{
    /// <summary>No API named, an API that is not reachable this way, or no such stage.</summary>
    public static GatewayError Forbidden { get; } = new("DEFAULT_4XX", 403, "Forbidden", "ForbiddenException");

    /// <summary>No resource or method matches.</summary>
    public static GatewayError MissingAuthenticationToken { get; } =
        new("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", "MissingAuthenticationTokenException");

    /// <summary>The integration did not answer within its timeout.</summary>
    public static GatewayError IntegrationTimeout { get; } = new("INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", null);

    /// <summary>The HTTP backend could not be reached.</summary>
    public static GatewayError IntegrationFailure { get; } = new("INTEGRATION_FAILURE", 504, "Internal server error", "InternalServerErrorException");

    /// <summary>The Lambda function returned a malformed proxy response.</summary>
    public static GatewayError LambdaFailure { get; } = new("DEFAULT_5XX", 502, "Internal server error", "InternalServerErrorException");

    /// <summary>
    /// The Lambda function failed (raised, timed out, or answered more than Lambda's 6 MB response quota): 502 with the
    /// response type AWS's access logs show for it, <c>INTEGRATION_FAILURE</c> (DataBiosphere/azul#8192, #6624).
    /// </summary>
    public static GatewayError LambdaFunctionError { get; } = new("INTEGRATION_FAILURE", 502, "Internal server error", "InternalServerErrorException");

    /// <summary>
    /// Lambda refused the event as over its 6 MB Invoke quota (a body under API Gateway's 10 MB whose event is not):
    /// 413 <c>{"message": "Request Too Long"}</c>, <c>BadRequestException</c>, as observed (koki-develop/lgtm-generator#10).
    /// </summary>
    public static GatewayError LambdaRequestTooLarge { get; } = new(RequestTooLargeType, 413, "Request Too Long", "BadRequestException");

    /// <summary>
    /// Lambda refused the invocation before the function ran (throttled: concurrency exhausted; no such function):
    /// API Gateway answers 500, not 502, and does not pass Lambda's 429 on (AWS re:Post knowledge center,
    /// "api-gateway-internal-server-error": "Execution failed due to limit exceeded").
    /// </summary>
    public static GatewayError LambdaServiceFailure { get; } = new("DEFAULT_5XX", 500, "Internal server error", "InternalServerErrorException");

    /// <summary>The method is configured in a way the gateway cannot run (no integration, no matching integration response).</summary>
    public static GatewayError ConfigurationError { get; } = new("API_CONFIGURATION_ERROR", 500, "Internal server error", "InternalServerErrorException");

    /// <summary>Header lines over the private API quota, 8,000 bytes in total (or over Kestrel's 64 KB block, or too many).</summary>
    public static GatewayError HeadersTooLarge { get; } = new("DEFAULT_4XX", 431, "Request Header Fields Too Large", null);

    private static readonly GatewayError BrokenBody = new("DEFAULT_4XX", 400, "Bad Request", null);

    private static readonly GatewayError SlowBody = new("DEFAULT_4XX", 408, "Request Timeout", null);

    /// <summary>
    /// The client's body broke off (ended before its <c>Content-Length</c>, a malformed chunk) or came slower than
    /// Kestrel's minimum data rate (<paramref name="statusCode"/> 408). AWS documents no answer; the 4XX status
    /// Kestrel gives the failure, in a gateway response's words.
    /// </summary>
    public static GatewayError BrokenRequest(int statusCode) => statusCode == 408 ? SlowBody : BrokenBody;

    /// <summary>A method ARN over 1,600 bytes (spec §3), or a URL over the private API quota of 8,192 characters.</summary>
    public static GatewayError UriTooLong { get; } = new("DEFAULT_4XX", 414, "Request-URI Too Long", null);

    /// <summary>The resource policy or endpoint policy did not allow the call.</summary>
    /// <param name="methodArn">The method ARN.</param>
    /// <param name="accountId">The account, masked in the message.</param>
    /// <param name="explicitDeny">Whether a statement denied the call.</param>
    /// <param name="user">The caller: <c>anonymous</c>, or the ARN of a SigV4-signed caller.</param>
    public static GatewayError AccessDenied(string methodArn, string accountId, bool explicitDeny, string user = "anonymous")
    {
        var masked = MaskAccount(methodArn, accountId);
        var message = $"User: {user} is not authorized to perform: execute-api:Invoke on resource: {masked}"
            + (explicitDeny ? " with an explicit deny" : string.Empty);
        return new GatewayError("ACCESS_DENIED", 403, message, "AccessDeniedException");
    }

    /// <summary>The 413 response type, which API Gateway does not let an API customise.</summary>
    public const string RequestTooLargeType = "REQUEST_TOO_LARGE";

    /// <summary>Whether this is a 5xx.</summary>
    public bool IsServerError => StatusCode >= 500;

    /// <summary>Whether the default body has a space after the colon, as observed for 5xx bodies and the 413.</summary>
    public bool SpacedBody => IsServerError || ResponseType == RequestTooLargeType;

    /// <summary>Whether an API's gateway responses may replace this one (the gateway response types page: not the 413).</summary>
    public bool Customizable => ResponseType != RequestTooLargeType;

    private static string MaskAccount(string arn, string accountId)
    {
        var visible = accountId.Length >= 4 ? accountId[^4..] : accountId;
        var needle = ":" + accountId + ":";
        var at = arn.IndexOf(needle, StringComparison.Ordinal);
        return at < 0 ? arn : string.Concat(arn.AsSpan(0, at + 1), "********", visible, arn.AsSpan(at + needle.Length - 1));
    }
}
