using System.Text;
using Cloister.Lambda.RuntimeClient.ApiGateway;

namespace Claims.Functions;

/// <summary>Between API Gateway's proxy payload 1.0 and the claims handlers' request and response.</summary>
public static class ProxyMapping
{
    private static readonly Dictionary<string, string> Empty = [];

    /// <summary>The handler's view of a proxy request; a base64 body is decoded.</summary>
    public static ClaimRequest ToClaimRequest(ApiGatewayProxyRequest request, string requestId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body is { } text && request.IsBase64Encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : request.Body;
        return new ClaimRequest(
            request.RequestContext?.Stage ?? "dev",
            request.RequestContext?.RequestId ?? requestId,
            request.PathParameters ?? Empty,
            request.QueryStringParameters ?? Empty,
            request.Headers ?? Empty,
            body);
    }

    /// <summary>The proxy response API Gateway expects.</summary>
    public static ApiGatewayProxyResponse ToProxyResponse(ClaimResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new ApiGatewayProxyResponse
        {
            StatusCode = response.StatusCode,
            Headers = new Dictionary<string, string>(response.Headers),
            Body = response.Body ?? string.Empty,
        };
    }
}
