namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>The <c>requestContext.identity</c> of a payload 1.0 proxy event.</summary>
public sealed record ApiGatewayProxyRequestIdentity
{
    /// <summary>The caller's address; for a private API, its private address.</summary>
    public string? SourceIp { get; init; }

    /// <summary>The User-Agent header.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The interface VPC endpoint the request came through (private APIs).</summary>
    public string? VpceId { get; init; }

    /// <summary>The VPC the request came from (private APIs).</summary>
    public string? VpcId { get; init; }

    /// <summary>The access key of a SigV4-signed request.</summary>
    public string? AccessKey { get; init; }

    /// <summary>The caller's account id (IAM authorization).</summary>
    public string? AccountId { get; init; }

    /// <summary>The caller's principal id (IAM authorization).</summary>
    public string? Caller { get; init; }

    /// <summary>The user's principal id (IAM authorization).</summary>
    public string? User { get; init; }

    /// <summary>The user's ARN (IAM authorization).</summary>
    public string? UserArn { get; init; }

    /// <summary>The API key used, if any.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The id of the API key used, if any.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The Cognito identity pool id.</summary>
    public string? CognitoIdentityPoolId { get; init; }

    /// <summary>The Cognito identity id.</summary>
    public string? CognitoIdentityId { get; init; }

    /// <summary>The Cognito authentication type.</summary>
    public string? CognitoAuthenticationType { get; init; }

    /// <summary>The Cognito authentication provider.</summary>
    public string? CognitoAuthenticationProvider { get; init; }

    /// <summary>The organisation id of the caller's principal.</summary>
    public string? PrincipalOrgId { get; init; }

    /// <summary>The client certificate of mutual TLS, if any.</summary>
    public ApiGatewayProxyClientCert? ClientCert { get; init; }
}
