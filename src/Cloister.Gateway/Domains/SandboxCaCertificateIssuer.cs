using System.Security.Cryptography.X509Certificates;
using Cloister.Certificates;
using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Domains;

/// <summary>Custom domain names' certificates from the sandbox CA, which clients in the sandbox trust.</summary>
/// <param name="authority">The sandbox CA.</param>
public sealed class SandboxCaCertificateIssuer(SandboxCertificateAuthority authority) : ICertificateIssuer
{
    /// <inheritdoc />
    public X509Certificate2 Issue(IReadOnlyList<string> dnsNames) => authority.Issue(dnsNames);
}
