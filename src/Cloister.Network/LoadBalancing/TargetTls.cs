using System.Diagnostics.CodeAnalysis;
using System.Net.Security;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// TLS towards targets. ELB does not validate target certificates (targets commonly use self-signed ones), so neither
/// does Cloister; the name sent is the request's Host (ALB) or none (health checks, NLB TLS target groups).
/// </summary>
internal static class TargetTls
{
    [SuppressMessage("Security", "CA5359:Do not disable certificate validation", Justification = "ELB does not validate the certificates of its targets.")]
    public static SslClientAuthenticationOptions Options(string targetHost) => new()
    {
        TargetHost = targetHost,
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
    };
}
