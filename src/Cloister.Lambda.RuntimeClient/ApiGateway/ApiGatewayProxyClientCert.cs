namespace Cloister.Lambda.RuntimeClient.ApiGateway;

/// <summary>The client certificate of a mutual TLS request.</summary>
public sealed record ApiGatewayProxyClientCert
{
    /// <summary>The certificate, PEM.</summary>
    public string? ClientCertPem { get; init; }

    /// <summary>The subject's distinguished name.</summary>
    public string? SubjectDN { get; init; }

    /// <summary>The issuer's distinguished name.</summary>
    public string? IssuerDN { get; init; }

    /// <summary>The serial number.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>When the certificate is valid.</summary>
    public ApiGatewayProxyCertValidity? Validity { get; init; }
}
