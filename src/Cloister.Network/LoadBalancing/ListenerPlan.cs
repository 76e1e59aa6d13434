using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cloister.Model.LoadBalancing;

namespace Cloister.Network.LoadBalancing;

/// <summary>A listener ready to serve: its load balancer, the node addresses it listens on, its rules by priority and its certificates.</summary>
internal sealed record ListenerPlan(
    LoadBalancer Balancer,
    Listener Listener,
    ImmutableArray<IPAddress> Nodes,
    ImmutableArray<CompiledRule> Rules,
    ImmutableArray<ListenerCertificate> Certificates)
{
    /// <summary>Whether the listener terminates TLS (TLS and HTTPS listeners).</summary>
    public bool Secure => Listener.Protocol is "TLS" or "HTTPS";

    /// <summary>The action of the first rule that matches, else the default action.</summary>
    public ListenerAction RouteFor(RuleRequest request)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(request))
            {
                return rule.Action;
            }
        }

        return Listener.DefaultAction;
    }

    /// <summary>
    /// The certificate for a TLS client hello: the one whose names cover the SNI name, else the default (the first),
    /// as ELB's SNI selection does.
    /// </summary>
    public X509Certificate2? CertificateFor(string? serverName)
    {
        if (Certificates.IsDefaultOrEmpty)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(serverName))
        {
            foreach (var candidate in Certificates)
            {
                if (candidate.Covers(serverName))
                {
                    return candidate.Certificate;
                }
            }
        }

        return Certificates[0].Certificate;
    }
}
