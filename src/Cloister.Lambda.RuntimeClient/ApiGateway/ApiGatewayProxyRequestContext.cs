using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>The <c>requestContext</c> of a payload 1.0 proxy event.</summary>
public sealed record ApiGatewayProxyRequestContext
{
    /// <summary>The API owner's account id.</summary>
    public string? AccountId { get; init; }

    /// <summary>The API id.</summary>
    public string? ApiId { get; init; }

    /// <summary>What the authorizer returned (its context, claims or principal id).</summary>
    public Dictionary<string, JsonElement>? Authorizer { get; init; }

    /// <summary>The host name the request was sent to.</summary>
    public string? DomainName { get; init; }

    /// <summary>The first label of <see cref="DomainName"/>.</summary>
    public string? DomainPrefix { get; init; }

    /// <summary>API Gateway's extended request id.</summary>
    public string? ExtendedRequestId { get; init; }

    /// <summary>The HTTP method.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>Who called.</summary>
    public ApiGatewayProxyRequestIdentity? Identity { get; init; }

    /// <summary>The path with the stage, such as <c>/dev/claim</c>.</summary>
    public string? Path { get; init; }

    /// <summary>Such as <c>HTTP/1.1</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary>The request id.</summary>
    public string? RequestId { get; init; }

    /// <summary>The time of the request, <c>dd/MMM/yyyy:HH:mm:ss +0000</c>.</summary>
    public string? RequestTime { get; init; }

    /// <summary>The time of the request in Unix milliseconds.</summary>
    public long RequestTimeEpoch { get; init; }

    /// <summary>The resource id.</summary>
    public string? ResourceId { get; init; }

    /// <summary>The resource path template.</summary>
    public string? ResourcePath { get; init; }

    /// <summary>The stage.</summary>
    public string? Stage { get; init; }
}
