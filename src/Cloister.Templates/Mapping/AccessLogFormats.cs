namespace Cloister.Templates.Mapping;

/// <summary>API Gateway's preset access log formats.</summary>
internal static class AccessLogFormats
{
    /// <summary>The CLF preset, used when an access log setting gives no format.</summary>
    public const string Clf = "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] \"$context.httpMethod $context.resourcePath $context.protocol\" $context.status $context.responseLength $context.requestId $context.extendedRequestId";
}
