namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>What a proxy integration function returns (payload format 1.0).</summary>
public sealed record ApiGatewayProxyResponse
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; init; }

    /// <summary>Headers, one value each.</summary>
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>Headers with several values; merged with <see cref="Headers"/>, these win.</summary>
    public Dictionary<string, List<string>>? MultiValueHeaders { get; init; }

    /// <summary>The body, a string (base64 when <see cref="IsBase64Encoded"/>).</summary>
    public string? Body { get; init; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    public bool IsBase64Encoded { get; init; }
}
