using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;

namespace Cloister.Network.LoadBalancing;

/// <summary>A listener's certificate with the names its ACM certificate was requested for.</summary>
internal sealed record ListenerCertificate(ImmutableArray<string> Names, X509Certificate2 Certificate)
{
    public bool Covers(string serverName)
    {
        foreach (var name in Names)
        {
            if (string.Equals(name, serverName, StringComparison.OrdinalIgnoreCase) ||
                (name.StartsWith("*.", StringComparison.Ordinal) && serverName.IndexOf('.', StringComparison.Ordinal) is var dot && dot > 0 &&
                 string.Equals(name[1..], serverName[dot..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
