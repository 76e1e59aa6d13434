using Microsoft.Extensions.Logging;

namespace Cloister.Gateway;

/// <summary>The gateway's log messages. Client mistakes are logged at Debug so clients cannot flood the log.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Stage {ApiId}/{Stage} names deployment {DeploymentId}, which does not exist; the stage is not served.")]
    public static partial void StageWithoutDeployment(ILogger logger, string apiId, string stage, string deploymentId);

    [LoggerMessage(2, LogLevel.Warning, "The policy of {Owner} did not compile ({Reason}); every call through it is denied.")]
    public static partial void PolicyDidNotCompile(ILogger logger, string owner, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Request {RequestId} rejected: {ResponseType} ({Status}).")]
    public static partial void Rejected(ILogger logger, string requestId, string responseType, int status);

    [LoggerMessage(4, LogLevel.Warning, "Request {RequestId}: integration failed: {Reason}.")]
    public static partial void IntegrationFailed(ILogger logger, string requestId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Request {RequestId}: malformed Lambda proxy response: {Reason}.")]
    public static partial void MalformedProxyResponse(ILogger logger, string requestId, string reason);

    [LoggerMessage(6, LogLevel.Error, "Request {RequestId}: unexpected failure.")]
    public static partial void Unexpected(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Access log {Path} could not be written.")]
    public static partial void AccessLogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Gateway listening on {Addresses}.")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(9, LogLevel.Warning, "Request {RequestId}: Execution failed due to configuration error: Invalid permissions on Lambda function {FunctionArn} (source {SourceArn}).")]
    public static partial void InvalidLambdaPermissions(ILogger logger, string requestId, string functionArn, string sourceArn);

    [LoggerMessage(30, LogLevel.Debug, "Request {RequestId}: request validation failed: {Detail}.")]
    public static partial void ValidationFailed(ILogger logger, string requestId, string? detail);

    [LoggerMessage(101, LogLevel.Warning, "Request {RequestId}: authorizer {AuthorizerId} failed: {Reason}.")]
    public static partial void AuthorizerFailed(ILogger logger, string requestId, string authorizerId, string reason);
    [LoggerMessage(20, LogLevel.Warning, "Request {RequestId}: a mapping template failed: {Reason}.")]
    public static partial void TemplateFailed(ILogger logger, string requestId, string reason);

    [LoggerMessage(21, LogLevel.Warning, "A mapping template of {ApiId} does not parse; requests through it fail: {Reason}.")]
    public static partial void TemplateDoesNotParse(ILogger logger, string apiId, string reason);

    [LoggerMessage(22, LogLevel.Warning, "Request {RequestId}: VPC link '{ConnectionId}' is not deployed.")]
    public static partial void UnknownVpcLink(ILogger logger, string requestId, string connectionId);

    [LoggerMessage(23, LogLevel.Warning, "Custom domain name {Name}: certificate {CertificateArn} is not in the model; presenting one for the name alone.")]
    public static partial void DomainCertificateMissing(ILogger logger, string name, string certificateArn);

    [LoggerMessage(102, LogLevel.Warning, "Custom domain name {Name}: security policy {Policy} is not honoured in full: {Shortfall}.")]
    public static partial void DomainSecurityPolicyShortfall(ILogger logger, string name, string policy, string shortfall);

    [LoggerMessage(24, LogLevel.Debug, "Request {RequestId}: the client's body broke off: {Reason}.")]
    public static partial void BadRequestBody(ILogger logger, string requestId, string reason);

    [LoggerMessage(25, LogLevel.Debug, "Request {RequestId}: Kestrel refused the request ({Status}); answered in the gateway's words.")]
    public static partial void KestrelRefused(ILogger logger, string requestId, int status);
}
