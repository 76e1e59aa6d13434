using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections.Features;

namespace Cloister.Gateway.Pipeline;

/// <summary>The connection's TLS handshake as <c>$context.tlsVersion</c>, <c>$context.cipherSuite</c> and STRICT endpoint access read it.</summary>
internal sealed partial class RequestState
{
    /// <summary>The connection's handshake; null on a listener without TLS.</summary>
    public ITlsHandshakeFeature? Tls { get; init; }

    /// <summary>The server name the client sent (SNI), without a trailing dot; empty without SNI or TLS.</summary>
    public string ServerName => Tls?.HostName.TrimEnd('.') ?? string.Empty;

    /// <summary><c>$context.tlsVersion</c>: <c>TLSv1.2</c>, <c>TLSv1.3</c> (the only versions the listeners accept), as OpenSSL and API Gateway's access logs write them.</summary>
    public string? TlsVersion => Tls?.Protocol switch
    {
        null or SslProtocols.None => null,
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls13 => "TLSv1.3",
        var other => other.ToString(),
    };

    /// <summary>
    /// <c>$context.cipherSuite</c>: the suite by its OpenSSL name, as API Gateway's security policy tables and access logs name it
    /// (<c>ECDHE-ECDSA-AES128-GCM-SHA256</c>; TLS 1.3's suites keep their IANA names, <c>TLS_AES_128_GCM_SHA256</c>).
    /// </summary>
    public string? CipherSuite => Tls?.NegotiatedCipherSuite is { } suite ? OpenSslName(suite) : null;

    private static string OpenSslName(TlsCipherSuite suite) => suite switch
    {
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => "ECDHE-ECDSA-AES128-GCM-SHA256",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => "ECDHE-RSA-AES128-GCM-SHA256",
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => "ECDHE-RSA-AES256-GCM-SHA384",
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 => "ECDHE-ECDSA-AES128-SHA256",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 => "ECDHE-RSA-AES128-SHA256",
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 => "ECDHE-ECDSA-AES256-SHA384",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 => "ECDHE-RSA-AES256-SHA384",
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA => "ECDHE-ECDSA-AES128-SHA",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA => "ECDHE-RSA-AES128-SHA",
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA => "ECDHE-ECDSA-AES256-SHA",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA => "ECDHE-RSA-AES256-SHA",
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 => "ECDHE-ECDSA-CHACHA20-POLY1305",
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => "ECDHE-RSA-CHACHA20-POLY1305",
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256 => "AES128-GCM-SHA256",
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384 => "AES256-GCM-SHA384",
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256 => "AES128-SHA256",
        TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256 => "AES256-SHA256",
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA => "AES128-SHA",
        TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA => "AES256-SHA",
        TlsCipherSuite.TLS_AES_128_GCM_SHA256 => "TLS_AES_128_GCM_SHA256",
        TlsCipherSuite.TLS_AES_256_GCM_SHA384 => "TLS_AES_256_GCM_SHA384",
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 => "TLS_CHACHA20_POLY1305_SHA256",
        var other => other.ToString(),
    };
}
