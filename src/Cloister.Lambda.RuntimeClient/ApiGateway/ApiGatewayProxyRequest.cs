namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>The event of an API Gateway REST API Lambda proxy integration (payload format 1.0).</summary>
public sealed record ApiGatewayProxyRequest
{
    /// <summary>The resource path template, such as <c>/claim/{id}</c>.</summary>
    public string? Resource { get; init; }

    /// <summary>The request path without the stage, such as <c>/claim/42</c>.</summary>
    public string? Path { get; init; }

    /// <summary>The HTTP method.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>Headers, the last value of each; null when there are none.</summary>
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>Headers with every value.</summary>
    public Dictionary<string, List<string>>? MultiValueHeaders { get; init; }

    /// <summary>Query string parameters, the last value of each; null when there are none.</summary>
    public Dictionary<string, string>? QueryStringParameters { get; init; }

    /// <summary>Query string parameters with every value.</summary>
    public Dictionary<string, List<string>>? MultiValueQueryStringParameters { get; init; }

    /// <summary>Path parameters; null when the resource has none.</summary>
    public Dictionary<string, string>? PathParameters { get; init; }

    /// <summary>Stage variables; null when the stage has none.</summary>
    public Dictionary<string, string>? StageVariables { get; init; }

    /// <summary>The request context.</summary>
    public ApiGatewayProxyRequestContext? RequestContext { get; init; }

    /// <summary>The body, or null.</summary>
    public string? Body { get; init; }

    /// <summary>Whether <see cref="Body"/> is base64 (binary media types).</summary>
    public bool IsBase64Encoded { get; init; }
}
