using System.Net.Security;
using System.Security.Authentication;

namespace Cloister.Gateway.Domains;

/// <summary>
/// An API Gateway security policy as the TLS handshake applies it: the versions and ciphers AWS documents for it, as far as
/// .NET on this machine's OpenSSL can offer them. The certificate is ECDSA, so only the ECDHE-ECDSA suites of a policy's
/// TLS 1.2 list can be negotiated; the others are listed anyway, as AWS lists them.
/// </summary>
/// <param name="Name">The policy's name as the model gives it.</param>
/// <param name="Protocols">The TLS versions accepted.</param>
/// <param name="Ciphers">The cipher suites accepted; null for OpenSSL's defaults, which are the TLS_1_2 policy's (tests pin this).</param>
/// <param name="Shortfall">What of the policy is not honoured here, and why; null when all of it is.</param>
internal sealed record TlsPolicy(string Name, SslProtocols Protocols, CipherSuitesPolicy? Ciphers, string? Shortfall)
{
    /// <summary>TLS_1_2, the only policy of private APIs' default endpoints: TLS 1.2 and 1.3.</summary>
    public static readonly TlsPolicy Tls12 = new("TLS_1_2", SslProtocols.Tls12 | SslProtocols.Tls13, null, null);

    private static readonly TlsCipherSuite[] Tls13Suites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The policy named <paramref name="name"/> (null or empty: TLS_1_2). Unknown names and edge-only policies are served as
    /// TLS_1_2, with the reason in <see cref="Shortfall"/>.
    /// </summary>
    public static TlsPolicy For(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == Tls12.Name)
        {
            return Tls12;
        }

        if (name == "TLS_1_0")
        {
            // TLS 1.0 and 1.1 need SHA-1 handshake signatures, which OpenSSL 3 refuses at its default security level (1 and up);
            // .NET does not lower it for a server, so a client offering only TLS 1.0 or 1.1 is refused whatever this says.
            return new TlsPolicy(name, SslProtocols.Tls12 | SslProtocols.Tls13, null, "TLS 1.0 and 1.1 are not offered: OpenSSL 3 refuses them at its default security level; served as TLS_1_2");
        }

        if (!name.StartsWith("SecurityPolicy_", StringComparison.Ordinal) || name.EndsWith("_EDGE", StringComparison.Ordinal))
        {
            return Tls12 with { Name = name, Shortfall = "not a security policy of regional or private endpoints; served as TLS_1_2" };
        }

        var shortfalls = new List<string>();
        if (name.Contains("_FIPS", StringComparison.Ordinal))
        {
            shortfalls.Add("OpenSSL here is not a FIPS-validated module");
        }

        if (name.Contains("_PQ", StringComparison.Ordinal))
        {
            shortfalls.Add("OpenSSL 3.0 has no hybrid post-quantum key exchange (ML-KEM); classical ECDHE is used");
        }

        TlsPolicy policy;
        if (name.StartsWith("SecurityPolicy_TLS13_1_3_", StringComparison.Ordinal))
        {
            // TLS 1.3 alone, and only its three AEAD suites (no CCM); the FIPS variant leaves out ChaCha20.
            var suites = name.Contains("_FIPS", StringComparison.Ordinal) ? Tls13Suites[..2] : Tls13Suites;
            policy = new TlsPolicy(name, SslProtocols.Tls13, new CipherSuitesPolicy(suites), null);
        }
        else if (name.StartsWith("SecurityPolicy_TLS13_1_2_", StringComparison.Ordinal))
        {
            policy = Tls12 with { Name = name };
        }
        else
        {
            return Tls12 with { Name = name, Shortfall = "unknown security policy; served as TLS_1_2" };
        }

        return shortfalls.Count == 0 ? policy : policy with { Shortfall = string.Join("; ", shortfalls) };
    }
}
