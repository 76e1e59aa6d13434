using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Routing;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Pipeline;

/// <summary>
/// What the gateway knows about one request as it goes through the pipeline: the values behind
/// <c>$context</c> variables, the proxy event's request context and the access log line.
/// </summary>
internal sealed partial class RequestState
{
    private string? _sentPath;
    private int _stagePathStart;
    private int _stagePathEnd;
    private string? _stagePath;

    public required string RequestId { get; init; }

    public required string ExtendedRequestId { get; init; }

    /// <summary>
    /// What the access log writes for <c>$context.requestId</c> when the client's <c>x-amzn-RequestId</c> (the
    /// request id) is not a UUID: the gateway's own id with <c>_REPLACED_INVALID_REQUEST_ID</c>; otherwise null.
    /// </summary>
    public string? LoggedRequestId { get; init; }

    public required DateTimeOffset RequestTime { get; init; }

    public required long StartTimestamp { get; init; }

    public required string AccountId { get; init; }

    public required string HttpMethod { get; init; }

    public required string Protocol { get; init; }

    public required string SourceIp { get; init; }

    public required string VpceId { get; init; }

    public required string VpcId { get; init; }

    /// <summary>Whether the request came to the Region's front end (<see cref="GatewayListener.IsRegional"/>), not through a VPC endpoint.</summary>
    public bool Regional { get; init; }

    public string? UserAgent { get; init; }

    public string DomainName { get; set; } = string.Empty;

    /// <summary>The first label of <see cref="DomainName"/>, read when asked for.</summary>
    public string DomainPrefix => InvocationTargetParser.FirstLabel(DomainName);

    public string? ApiId { get; set; }

    /// <summary>The custom domain name the request named; null for execute-api names.</summary>
    public CompiledDomain? Domain { get; set; }

    /// <summary>The base path mapping that matched (<c>(none)</c> for the empty one); null without a custom domain.</summary>
    public string? BasePathMatched { get; set; }

    public CompiledStage? Stage { get; set; }

    public RouteMatch? Route { get; set; }

    /// <summary>The request path after the stage as the client sent it (escapes kept), starting with <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    public int Status { get; set; }

    public long ResponseLength { get; set; }

    public long? IntegrationLatencyMs { get; set; }

    /// <summary>The backend's status (<c>$context.integration.status</c>): for a Lambda proxy integration, the function's <c>statusCode</c>.</summary>
    public int? IntegrationStatus { get; set; }

    /// <summary>
    /// <c>$context.integrationStatus</c>: for a Lambda integration, the status of Lambda's own answer (200 for an invocation
    /// that ran, whatever the function returned), not the function's; for other integrations the backend's status.
    /// </summary>
    public int? IntegrationServiceStatus { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>
    /// <c>$context.integrationErrorMessage</c> and <c>$context.integration.error</c>: what failed at a Lambda integration
    /// (<c>Lambda Customer Function Error:{errorMessage}</c> for a function error, as AWS's access logs show); null otherwise.
    /// </summary>
    public string? IntegrationErrorMessage { get; set; }

    public string? ErrorResponseType { get; set; }

    /// <summary>What request validation found wrong (<c>$context.error.validationErrorString</c>); null when it passed or did not run.</summary>
    public string? ValidationErrorString { get; set; }

    /// <summary>
    /// The <c>X-Amzn-Trace-Id</c> API Gateway adds to a request sent without one, <c>Root=1-{epoch seconds, 8 hex}-{24
    /// hex}</c> as X-Ray's trace id format says; made when first asked for (only proxy and authorizer events show it).
    /// </summary>
    public string TraceId => _traceId ??= SampledTraceHeader[..^UnsampledSuffix.Length];

    /// <summary>
    /// The X-Ray trace header the gateway passes on, to an HTTP backend and to Lambda (Invoke's <c>X-Amzn-Trace-Id</c>, so
    /// the function runs in the trace its event's headers show): the client's when it sent one, else <see cref="TraceId"/>.
    /// </summary>
    public string TraceHeaderFor(Microsoft.AspNetCore.Http.IHeaderDictionary headers) =>
        headers["X-Amzn-Trace-Id"] is [{ Length: > 0 } sent] ? sent : TraceId;

    /// <summary>
    /// The <c>X-Amzn-Trace-Id</c> an integration's response carries back to the client: the client's own as sent, else
    /// the gateway's <see cref="TraceId"/> with <c>;Sampled=0</c> (nothing is traced), as AWS's responses show it
    /// (<c>x-amzn-trace-id: Root=1-61558e88-2f8ec4cd534b128621ca7f9f;Sampled=0</c>, an AWS sample's REST API answer).
    /// </summary>
    public string ResponseTraceHeader(Microsoft.AspNetCore.Http.IHeaderDictionary headers) =>
        headers["X-Amzn-Trace-Id"] is [{ Length: > 0 } sent] ? sent : SampledTraceHeader;

    /// <summary><see cref="TraceId"/> and <see cref="UnsampledSuffix"/>, made as one string: a MOCK answer needs only this one.</summary>
    private string SampledTraceHeader => _sampledTraceHeader ??= NewSampledTraceHeader(RequestTime);

    public ImmutableDictionary<string, string> StageVariables => Stage?.Variables ?? ImmutableDictionary<string, string>.Empty;

    /// <summary><c>dd/MMM/yyyy:HH:mm:ss +0000</c>, as API Gateway writes it.</summary>
    public string RequestTimeText => RequestTime.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public long RequestTimeEpochMs => RequestTime.ToUnixTimeMilliseconds();

    /// <summary>The path as the client sent it to a custom domain name (base path included); null for execute-api names.</summary>
    public string? CustomDomainPath { get; set; }

    /// <summary>
    /// The path with the stage (or, for a custom domain name, as sent), as <c>$context.path</c> and <c>requestContext.path</c>
    /// show it: from the stage on as sent (escapes and doubled slashes after the stage kept) when a path follows the stage.
    /// </summary>
    public string StagePath => CustomDomainPath
        ?? (_sentPath is not null ? _stagePath ??= _sentPath[_stagePathStart.._stagePathEnd] : Stage is null ? Path : "/" + Stage.Name + (Path == "/" ? "/" : Path));

    /// <summary>Marks where in the request target (<paramref name="text"/>) the path from the stage's slash on lies; the string is cut when first read.</summary>
    public void SetStagePathAsSent(string text, int start, int end)
    {
        _sentPath = text;
        _stagePathStart = start;
        _stagePathEnd = end;
        _stagePath = null;
    }

    /// <summary>Looks up a <c>$context.*</c> (or <c>$stageVariables.*</c>) reference; unknown names are not known.</summary>
    public (bool Known, string? Value) Resolve(string reference)
    {
        if (reference.StartsWith("stageVariables.", StringComparison.Ordinal))
        {
            return (true, StageVariables.GetValueOrDefault(reference["stageVariables.".Length..]));
        }

        if (!reference.StartsWith("context.", StringComparison.Ordinal))
        {
            return (false, null);
        }

        string? value = reference["context.".Length..] switch
        {
            "requestId" or "awsEndpointRequestId" => RequestId,
            "extendedRequestId" => ExtendedRequestId,
            "accountId" => AccountId,
            "apiId" => ApiId,
            "stage" => Stage?.Name,
            "deploymentId" => Stage?.DeploymentId,
            "domainName" => DomainName,
            "domainPrefix" => DomainPrefix,
            "httpMethod" => HttpMethod,
            "protocol" => Protocol,
            "path" => StagePath,
            "resourcePath" => Route?.Resource.Path,
            "resourceId" => Route?.Resource.Id,
            "requestTime" => RequestTimeText,
            "requestTimeEpoch" => RequestTimeEpochMs.ToString(CultureInfo.InvariantCulture),
            "status" => Status == 0 ? null : Status.ToString(CultureInfo.InvariantCulture),
            "responseLength" => ResponseLength.ToString(CultureInfo.InvariantCulture),
            "responseLatency" => ((long)ElapsedMilliseconds).ToString(CultureInfo.InvariantCulture),
            "integrationLatency" or "integration.latency" => IntegrationLatencyMs?.ToString(CultureInfo.InvariantCulture),
            "integration.status" => IntegrationStatus?.ToString(CultureInfo.InvariantCulture),
            "integrationStatus" or "integration.integrationStatus" => IntegrationServiceStatus?.ToString(CultureInfo.InvariantCulture),
            "tlsVersion" => TlsVersion,
            "cipherSuite" => CipherSuite,
            "identity.sourceIp" => SourceIp,
            "identity.userAgent" => UserAgent,
            // A call at the Region's front end came through no endpoint: no value (an access log writes "-"), not "".
            "identity.vpceId" => VpceId is { Length: > 0 } ? VpceId : null,
            "identity.vpcId" => VpcId is { Length: > 0 } ? VpcId : null,
            var name when name.StartsWith("identity.", StringComparison.Ordinal) || name.StartsWith("authorizer.", StringComparison.Ordinal)
                => ResolveAccess(name),
            "customDomain.basePathMatched" => BasePathMatched,
            "error.message" => ErrorMessage,
            "integrationErrorMessage" or "integration.error" => IntegrationErrorMessage,
            // A JSON value: AWS's own body for a message-less error (an authorizer failure) is {"message": null}.
            // Without an error at all it has no value (an access log writes "-").
            "error.messageString" => ErrorMessage is not null ? JsonText.Quote(ErrorMessage) : ErrorResponseType is null ? null : "null",
            "error.responseType" => ErrorResponseType,
            "error.validationErrorString" => ValidationErrorString,
            _ => null,
        };

        return (IsKnownContextVariable(reference), value);
    }

    public double ElapsedMilliseconds { get; set; }

    private const string UnsampledSuffix = ";Sampled=0";

    private string? _traceId;
    private string? _sampledTraceHeader;

    /// <summary><c>Root=1-{epoch seconds, 8 hex}-{24 hex};Sampled=0</c>, written straight into the string.</summary>
    private static string NewSampledTraceHeader(DateTimeOffset time)
    {
        Span<byte> unique = stackalloc byte[12];
        Random.Shared.NextBytes(unique);
        var parts = ((uint)time.ToUnixTimeSeconds(), BinaryPrimitives.ReadUInt64BigEndian(unique), BinaryPrimitives.ReadUInt32BigEndian(unique[8..]));
        return string.Create("Root=1-".Length + 8 + 1 + 24 + UnsampledSuffix.Length, parts, static (text, p) =>
        {
            "Root=1-".CopyTo(text);
            p.Item1.TryFormat(text[7..], out _, "x8", CultureInfo.InvariantCulture);
            text[15] = '-';
            p.Item2.TryFormat(text[16..], out _, "x16", CultureInfo.InvariantCulture);
            p.Item3.TryFormat(text[32..], out _, "x8", CultureInfo.InvariantCulture);
            UnsampledSuffix.CopyTo(text[40..]);
        });
    }

    /// <summary>
    /// The variables of "Variables for access logging for API Gateway"; those the gateway has no value for
    /// (<c>xrayTraceId</c>, <c>waf.*</c>, <c>authorize.*</c>, <c>integration.requestId</c>...) are known and empty.
    /// </summary>
    private static bool IsKnownContextVariable(string reference) => reference["context.".Length..] switch
    {
        "requestId" or "awsEndpointRequestId" or "extendedRequestId" or "accountId" or "apiId" or "stage" or "deploymentId" or "domainName"
            or "domainPrefix" or "httpMethod" or "protocol" or "path" or "resourcePath" or "resourceId" or "requestTime"
            or "requestTimeEpoch" or "status" or "responseLength" or "responseLatency" or "integrationLatency"
            or "integration.latency" or "integrationStatus" or "integration.status" or "integration.integrationStatus"
            or "integration.error" or "integration.requestId" or "integrationErrorMessage" or "error.message" or "error.messageString"
            or "error.responseType" or "error.validationErrorString" or "authorize.error" or "authorize.latency" or "authorize.status"
            or "authenticate.error" or "authenticate.latency" or "authenticate.status" or "waf.error" or "waf.latency" or "waf.status"
            or "wafResponseCode" or "webaclArn" or "xrayTraceId" or "isCanaryRequest" or "tlsVersion" or "cipherSuite" => true,
        var name => name.StartsWith("identity.", StringComparison.Ordinal) || name.StartsWith("authorizer.", StringComparison.Ordinal)
            || name.StartsWith("customDomain.", StringComparison.Ordinal),
    };
}
