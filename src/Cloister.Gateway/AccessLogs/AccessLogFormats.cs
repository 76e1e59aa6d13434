namespace Cloister.Gateway.AccessLogs;

/// <summary>The access log formats the API Gateway console offers as presets (spec §7).</summary>
public static class AccessLogFormats
{
    /// <summary>Common Log Format.</summary>
    public const string Clf =
        "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] \"$context.httpMethod $context.resourcePath $context.protocol\" $context.status $context.responseLength $context.requestId $context.extendedRequestId";

    /// <summary>JSON.</summary>
    public const string Json =
        "{\"requestId\":\"$context.requestId\",\"extendedRequestId\":\"$context.extendedRequestId\",\"ip\":\"$context.identity.sourceIp\",\"caller\":\"$context.identity.caller\",\"user\":\"$context.identity.user\",\"requestTime\":\"$context.requestTime\",\"httpMethod\":\"$context.httpMethod\",\"resourcePath\":\"$context.resourcePath\",\"status\":\"$context.status\",\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\"}";
}
