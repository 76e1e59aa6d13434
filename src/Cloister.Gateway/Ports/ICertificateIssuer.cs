using System.Security.Cryptography.X509Certificates;

namespace Cloister.Gateway.Ports;

/// <summary>Issues the server certificates custom domain names present (the sandbox CA: <see cref="Domains.SandboxCaCertificateIssuer"/>).</summary>
public interface ICertificateIssuer
{
    /// <summary>A certificate with its private key for <paramref name="dnsNames"/>; the same names may give the same certificate.</summary>
    X509Certificate2 Issue(IReadOnlyList<string> dnsNames);
}
