using System.Security.Authentication;
using Cloister.Gateway.Domains;

namespace Cloister.Gateway.Tests.Domains;

/// <summary>Security policy names as API Gateway documents them, read into the versions and ciphers the handshake applies.</summary>
public sealed class TlsPolicyTests
{
    [Theory]
    [InlineData(null, SslProtocols.Tls12 | SslProtocols.Tls13, false, false)]
    [InlineData("TLS_1_2", SslProtocols.Tls12 | SslProtocols.Tls13, false, false)]
    [InlineData("TLS_1_0", SslProtocols.Tls12 | SslProtocols.Tls13, false, true)]
    [InlineData("SecurityPolicy_TLS13_1_3_2025_09", SslProtocols.Tls13, true, false)]
    [InlineData("SecurityPolicy_TLS13_1_3_FIPS_2025_09", SslProtocols.Tls13, true, true)]
    [InlineData("SecurityPolicy_TLS13_1_2_2021_06", SslProtocols.Tls12 | SslProtocols.Tls13, false, false)]
    [InlineData("SecurityPolicy_TLS13_1_2_PQ_2025_09", SslProtocols.Tls12 | SslProtocols.Tls13, false, true)]
    [InlineData("SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", SslProtocols.Tls12 | SslProtocols.Tls13, false, true)]
    [InlineData("SecurityPolicy_TLS12_PFS_2025_EDGE", SslProtocols.Tls12 | SslProtocols.Tls13, false, true)]
    [InlineData("TLS_9_9", SslProtocols.Tls12 | SslProtocols.Tls13, false, true)]
    public void For_PolicyName_VersionsCiphersAndShortfall(string? name, SslProtocols protocols, bool ownCiphers, bool shortfall)
    {
        var policy = TlsPolicy.For(name);

        Assert.Equal(protocols, policy.Protocols);
        Assert.Equal(ownCiphers, policy.Ciphers is not null);
        Assert.Equal(shortfall, policy.Shortfall is not null);
        Assert.Equal(name ?? "TLS_1_2", policy.Name);
    }

    [Fact]
    public void For_Tls13FipsPolicy_LeavesOutChaCha20()
    {
        var policy = TlsPolicy.For("SecurityPolicy_TLS13_1_3_FIPS_2025_09");

        Assert.Equal([System.Net.Security.TlsCipherSuite.TLS_AES_128_GCM_SHA256, System.Net.Security.TlsCipherSuite.TLS_AES_256_GCM_SHA384], policy.Ciphers!.AllowedCipherSuites);
    }
}
