namespace Cloister.Gateway.Responses;

/// <summary>The refusals of access control (API keys, usage plans, throttling, authorizers, SigV4), as AWS words them (spec §2).</summary>
internal static class AccessErrors
{
    /// <summary>A method that needs an API key got none, an unknown or disabled one, or one not in a usage plan of this stage.</summary>
    public static GatewayError InvalidApiKey { get; } = new("INVALID_API_KEY", 403, "Forbidden", "ForbiddenException");

    /// <summary>A token bucket (usage plan, stage or method, account) is empty.</summary>
    public static GatewayError Throttled { get; } = new("THROTTLED", 429, "Too Many Requests", "TooManyRequestsException");

    /// <summary>The key's usage plan quota for the period is spent.</summary>
    public static GatewayError QuotaExceeded { get; } = new("QUOTA_EXCEEDED", 429, "Limit Exceeded", "LimitExceededException");

    /// <summary>A Lambda authorizer's identity is missing or invalid, or the authorizer raised <c>Unauthorized</c>.</summary>
    public static GatewayError Unauthorized { get; } = new("UNAUTHORIZED", 401, "Unauthorized", "UnauthorizedException");

    /// <summary>The authorizer's output could not be used (no principalId, a bad policy, a nested context...), or its function does not exist.</summary>
    public static GatewayError AuthorizerConfiguration { get; } = new("AUTHORIZER_CONFIGURATION_ERROR", 500, null, "AuthorizerConfigurationException");

    /// <summary>The authorizer function failed (an error other than <c>Unauthorized</c>, or a timeout).</summary>
    public static GatewayError AuthorizerFailure { get; } = new("AUTHORIZER_FAILURE", 500, null, "AuthorizerConfigurationException");

    /// <summary>The authorizer's policy did not allow the method ARN.</summary>
    public static GatewayError AuthorizerDenied(bool explicitDeny) => new(
        "ACCESS_DENIED",
        403,
        explicitDeny ? "User is not authorized to access this resource with an explicit deny" : "User is not authorized to access this resource",
        "AccessDeniedException");

    /// <summary>A SigV4 Authorization header that lacks parts, or is not one.</summary>
    public static GatewayError IncompleteSignature(string message) => new("DEFAULT_4XX", 403, message, "IncompleteSignatureException");

    /// <summary>
    /// No resource or method matched, and the request has an <c>Authorization</c> header that is no complete SigV4
    /// signature (a <c>Bearer</c> token): AWS reads it as one and answers its parse error, under the
    /// <c>MISSING_AUTHENTICATION_TOKEN</c> response type.
    /// </summary>
    public static GatewayError IncompleteSignatureOfMissingMethod(string message) => new("MISSING_AUTHENTICATION_TOKEN", 403, message, "IncompleteSignatureException");

    /// <summary>A SigV4 signature that does not verify, is out of date, or is scoped wrongly.</summary>
    public static GatewayError InvalidSignature(string message) => new("INVALID_SIGNATURE", 403, message, "InvalidSignatureException");

    /// <summary>An access key (or session token) the sandbox did not issue.</summary>
    public static GatewayError UnrecognizedClient { get; } =
        new("DEFAULT_4XX", 403, "The security token included in the request is invalid.", "UnrecognizedClientException");

    /// <summary>Temporary credentials the sandbox issued, past their expiry (the <c>EXPIRED_TOKEN</c> gateway response).</summary>
    public static GatewayError ExpiredToken { get; } =
        new("EXPIRED_TOKEN", 403, Cloister.Policy.CallerIdentity.ExpiredTokenMessage, "ExpiredTokenException");
}
