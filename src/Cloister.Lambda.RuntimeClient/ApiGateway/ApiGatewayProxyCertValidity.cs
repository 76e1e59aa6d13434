namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>A client certificate's validity period, as API Gateway formats it.</summary>
public sealed record ApiGatewayProxyCertValidity
{
    /// <summary>Not valid before.</summary>
    public string? NotBefore { get; init; }

    /// <summary>Not valid after.</summary>
    public string? NotAfter { get; init; }
}
