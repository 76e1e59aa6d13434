using System.Collections.Immutable;
using System.Net;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Addressing;

namespace Cloister.Network.LoadBalancing;

/// <summary>A listener rule ready to evaluate: every condition must match, each by any of its values.</summary>
internal sealed record CompiledRule(int Priority, ImmutableArray<RuleCondition> Conditions, string TargetGroupId)
{
    public bool Matches(string host, string path, string method, IPAddress client)
    {
        // The Host header's port is not part of the host-header condition.
        var bareHost = host.AsSpan();
        var colon = bareHost.LastIndexOf(':');
        if (colon > 0 && bareHost[colon..].IndexOf(']') < 0)
        {
            bareHost = bareHost[..colon];
        }

        foreach (var condition in Conditions)
        {
            var matched = false;
            foreach (var value in condition.Values)
            {
                matched = condition.Field switch
                {
                    "host-header" => WildcardPattern.Matches(value, bareHost, ignoreCase: true),
                    "path-pattern" => WildcardPattern.Matches(value, path, ignoreCase: false),
                    "http-request-method" => string.Equals(value, method, StringComparison.Ordinal),
                    "source-ip" => Ipv4Cidr.ParseOrNull(value) is { } block && client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork &&
                        block.Contains(client.ToString()),
                    _ => false,
                };
                if (matched)
                {
                    break;
                }
            }

            if (!matched)
            {
                return false;
            }
        }

        return true;
    }
}
