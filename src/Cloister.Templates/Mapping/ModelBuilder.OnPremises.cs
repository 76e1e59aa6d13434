using System.Collections.Immutable;
using System.Net;
using Cloister.Model.Network;
using Cloister.Templates.OnPremises;

namespace Cloister.Templates.Mapping;

/// <summary>The on-premises network file's types: networks with their DNS server and forwarders, and hosts.</summary>
internal sealed partial class ModelBuilder
{
    private void BuildOnPremises()
    {
        var hosts = OfType(OnPremisesTypes.Host).ToList();
        var vpcs = _vpcs.ToDictionary(v => v.Id, StringComparer.Ordinal);
        var networkIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in OfType(OnPremisesTypes.Network))
        {
            networkIds.Add(r.Id);
            var cidr = r.Required("CidrBlock");
            IPNetwork? network = cidr.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(cidr, out var parsed) ? parsed : null;
            if (cidr.Length > 0 && network is null)
            {
                r.Problem("CidrBlock", $"'{cidr}' is not a CIDR block.");
            }

            var linked = r.Strings("LinkedVpcIds");
            for (var i = 0; i < linked.Length; i++)
            {
                if (!vpcs.TryGetValue(linked[i], out var vpc))
                {
                    r.Problem($"LinkedVpcIds[{i}]", $"'{linked[i]}' is not a VPC of the stacks deployed with this file.");
                }
                else if (network is { } own && IPNetwork.TryParse(vpc.CidrBlock, out var vpcNetwork)
                    && (own.Contains(vpcNetwork.BaseAddress) || vpcNetwork.Contains(own.BaseAddress)))
                {
                    r.Problem($"LinkedVpcIds[{i}]", $"The on-premises CIDR {cidr} overlaps VPC {vpc.LogicalId} ({vpc.CidrBlock}).");
                }
            }

            string? dnsServer = null;
            var forwarders = ImmutableArray.CreateBuilder<DnsForwarder>();
            if (r.Map("DnsServer") is { } dns)
            {
                dnsServer = r.String(dns, "IpAddress", "DnsServer.IpAddress", required: true);
                RequireInside(r, network, dnsServer, "DnsServer.IpAddress");
                var list = r.Maps(dns, "Forwarders", "DnsServer.Forwarders");
                for (var i = 0; i < list.Length; i++)
                {
                    var path = $"DnsServer.Forwarders[{i}]";
                    var domain = r.String(list[i], "DomainName", path + ".DomainName", required: true) ?? string.Empty;
                    var targets = r.Strings(list[i], "TargetIps", path + ".TargetIps");
                    if (targets.IsEmpty)
                    {
                        r.Problem(path + ".TargetIps", "A forwarder needs at least one target address.");
                    }

                    foreach (var (target, n) in targets.Select((t, n) => (t, n)).Where(t => !IPAddress.TryParse(t.t, out _)))
                    {
                        r.Problem($"{path}.TargetIps[{n}]", $"'{target}' is not an IP address.");
                    }

                    forwarders.Add(new DnsForwarder(domain.TrimEnd('.').ToLowerInvariant(), targets));
                }
            }

            var networkHosts = hosts.Where(h => h.String("NetworkId") == r.Id).Select(h =>
            {
                var ip = h.Required("IpAddress");
                RequireInside(h, network, ip, "IpAddress");
                return new OnPremisesHost(h.Id, h.LogicalId, ip);
            });
            _onPremises.Add(new OnPremisesNetwork(r.Id, r.LogicalId, cidr, linked, [.. networkHosts], dnsServer, forwarders.ToImmutable()));
        }

        foreach (var h in hosts.Where(h => !networkIds.Contains(h.String("NetworkId") ?? string.Empty)))
        {
            h.Problem("NetworkId", $"'{h.String("NetworkId")}' is not a {OnPremisesTypes.Network} of these files.");
        }
    }

    private static void RequireInside(PropertyReader r, IPNetwork? network, string? ip, string property)
    {
        if (ip is null || network is null)
        {
            return;
        }

        if (!IPAddress.TryParse(ip, out var address))
        {
            r.Problem(property, $"'{ip}' is not an IP address.");
        }
        else if (!network.Value.Contains(address))
        {
            r.Problem(property, $"'{ip}' is not in the network's CIDR {network.Value}.");
        }
    }
}
