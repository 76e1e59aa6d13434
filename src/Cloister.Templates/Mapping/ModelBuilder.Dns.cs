using System.Globalization;
using Cloister.Model.Dns;
using Cloister.Model.Identifiers;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>Route 53 hosted zones and records, Resolver endpoints, rules, associations and query logs.</summary>
internal sealed partial class ModelBuilder
{
    private void BuildDns()
    {
        var zones = OfType("AWS::Route53::HostedZone").ToList();
        var records = new Dictionary<string, List<WrittenRecordSet>>(StringComparer.Ordinal);
        foreach (var r in OfType("AWS::Route53::RecordSet"))
        {
            AddRecord(r, r.Resource.Properties, string.Empty, r.String("HostedZoneId"), r.String("HostedZoneName"), zones, records);
        }

        foreach (var r in OfType("AWS::Route53::RecordSetGroup"))
        {
            var sets = r.Maps("RecordSets");
            for (var i = 0; i < sets.Length; i++)
            {
                AddRecord(r, sets[i], $"RecordSets[{i}].", sets[i].GetString("HostedZoneId") ?? r.String("HostedZoneId"), sets[i].GetString("HostedZoneName") ?? r.String("HostedZoneName"), zones, records);
            }
        }

        foreach (var r in zones)
        {
            var vpcs = r.Maps("VPCs").Select((v, i) => r.String(v, "VPCId", $"VPCs[{i}].VPCId", required: true) ?? string.Empty);
            foreach (var (v, i) in r.Maps("VPCs").Select((v, i) => (v, i)))
            {
                if (v.GetString("VPCRegion") is { } region && region != account.Region)
                {
                    r.Problem($"VPCs[{i}].VPCRegion", $"Cloister runs one region ({account.Region}), not '{region}'.");
                }
            }

            var name = NormalizeName(r.Required("Name"));
            var sets = records.GetValueOrDefault(r.Id) ?? [];
            CheckRouting(sets);
            CheckCnameConflicts(sets, name);
            _zones.Add(new HostedZone(r.Id, r.LogicalId, name, !r.Maps("VPCs").IsEmpty, [.. vpcs], [.. sets.Select(s => s.Set)]));
        }

        foreach (var r in OfType("AWS::Route53Resolver::ResolverEndpoint"))
        {
            var direction = r.Required("Direction");
            if (direction is not ("INBOUND" or "OUTBOUND"))
            {
                r.Problem("Direction", $"'{direction}' is not INBOUND or OUTBOUND.");
            }

            var addresses = r.Maps("IpAddresses");
            var ips = NodeFactory.Items(r.Resource.Attributes.GetValueOrDefault("IpAddresses")).OfType<ScalarNode>().Select(s => s.Value).ToList();
            var resolverIps = addresses.Select((a, i) => new ResolverIpAddress(
                r.String(a, "SubnetId", $"IpAddresses[{i}].SubnetId", required: true) ?? string.Empty,
                i < ips.Count && ips[i].Length > 0 ? ips[i] : null,
                ids.Next(IdKind.ResolverNetworkInterface)));
            _resolverEndpoints.Add(new ResolverEndpoint(
                r.Id,
                r.LogicalId,
                r.String("Name") ?? r.LogicalId,
                direction == "INBOUND" ? ResolverDirection.Inbound : ResolverDirection.Outbound,
                r.Resource.Attribute("HostVPCId"),
                r.Strings("SecurityGroupIds"),
                [.. resolverIps]));
        }

        foreach (var r in OfType("AWS::Route53Resolver::ResolverRule"))
        {
            var typeText = r.Required("RuleType");
            if (typeText == "DELEGATE")
            {
                // Route 53 Resolver's delegation rules (2025) make the resolver follow NS delegations — a private zone's or
                // a forwarded server's referral — to the delegated name servers through the outbound endpoint: iterative
                // resolution, which Cloister's resolver (forwarding and local answers only) does not do. See docs/dns.md.
                r.Problem("RuleType", "DELEGATE rules (outbound delegation) are not served by Cloister: its VPC resolver forwards and answers locally but does not follow NS delegations; use a FORWARD rule for the delegated domain.");
                continue;
            }

            ResolverRuleType? type = typeText switch
            {
                "FORWARD" => ResolverRuleType.Forward,
                "SYSTEM" => ResolverRuleType.System,
                "RECURSIVE" => ResolverRuleType.Recursive,
                _ => null,
            };
            if (type is null)
            {
                r.Problem("RuleType", $"'{typeText}' is not FORWARD, SYSTEM, RECURSIVE or DELEGATE.");
            }

            var targets = r.Maps("TargetIps").Select((t, i) => new TargetAddress(
                r.String(t, "Ip", $"TargetIps[{i}].Ip", required: true) ?? string.Empty,
                r.Int(t, "Port", $"TargetIps[{i}].Port", 53)));
            _resolverRules.Add(new ResolverRule(r.Id, r.LogicalId, r.String("Name") ?? r.LogicalId, NormalizeName(r.Required("DomainName")), type ?? ResolverRuleType.Forward, r.String("ResolverEndpointId"), [.. targets]));
        }

        foreach (var r in OfType("AWS::Route53Resolver::ResolverRuleAssociation"))
        {
            _ruleAssociations.Add(new ResolverRuleAssociation(r.Id, r.LogicalId, r.Required("ResolverRuleId"), r.Required("VPCId")));
        }

        var logAssociations = OfType("AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation").ToList();
        foreach (var r in OfType("AWS::Route53Resolver::ResolverQueryLoggingConfig"))
        {
            var vpcs = logAssociations.Where(a => a.String("ResolverQueryLogConfigId") == r.Id).Select(a => a.Required("ResourceId"));
            _queryLogs.Add(new ResolverQueryLogConfig(r.Id, r.LogicalId, r.String("Name") ?? r.LogicalId, r.Required("DestinationArn"), [.. vpcs]));
        }

        var configIds = _queryLogs.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var a in logAssociations.Where(a => !configIds.Contains(a.String("ResolverQueryLogConfigId") ?? string.Empty)))
        {
            a.Problem("ResolverQueryLogConfigId", $"'{a.String("ResolverQueryLogConfigId")}' is not a query logging configuration of these templates.");
        }
    }

    private static void AddRecord(PropertyReader r, MapNode set, string path, string? zoneId, string? zoneName, List<PropertyReader> zones, Dictionary<string, List<WrittenRecordSet>> records)
    {
        var zone = zoneId is not null
            ? zones.FirstOrDefault(z => z.Id == zoneId)
            : zones.FirstOrDefault(z => NormalizeName(z.String("Name") ?? string.Empty) == NormalizeName(zoneName ?? string.Empty));
        if (zone is null)
        {
            r.Problem(path + (zoneId is null ? "HostedZoneName" : "HostedZoneId"), $"'{zoneId ?? zoneName}' is not a hosted zone of these templates (Cloister serves only zones it creates).");
            return;
        }

        var name = NormalizeName(r.String(set, "Name", path + "Name", required: true) ?? string.Empty);
        var zoneSuffix = NormalizeName(zone.String("Name") ?? string.Empty);
        if (name != zoneSuffix && !name.EndsWith("." + zoneSuffix, StringComparison.Ordinal))
        {
            r.Problem(path + "Name", $"'{name}' is not in the zone '{zoneSuffix}'.");
        }

        var type = r.String(set, "Type", path + "Type", required: true) ?? "A";
        AliasTarget? alias = null;
        if (r.Map(set, "AliasTarget", path + "AliasTarget") is { } target)
        {
            alias = new AliasTarget(
                NormalizeName(r.String(target, "DNSName", path + "AliasTarget.DNSName", required: true) ?? string.Empty),
                r.String(target, "HostedZoneId", path + "AliasTarget.HostedZoneId", required: true) ?? string.Empty,
                r.Bool(target, "EvaluateTargetHealth", path + "AliasTarget.EvaluateTargetHealth", false));
        }

        var ttlText = r.String(set, "TTL", path + "TTL");
        uint ttl = 300;
        if (ttlText is not null && !uint.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out ttl))
        {
            r.Problem(path + "TTL", $"'{ttlText}' is not a TTL in seconds.");
        }
        else if (ttlText is null && alias is null)
        {
            r.Problem(path + "TTL", "is required for a record that is not an alias.");
        }

        var routing = ReadRouting(r, set, path, name, type, alias);
        var values = r.Strings(set, "ResourceRecords", path + "ResourceRecords");
        if (alias is null && values.IsEmpty)
        {
            r.Problem(path + "ResourceRecords", "A record needs ResourceRecords or an AliasTarget.");
        }

        CheckRecordSet(r, path, name, zoneSuffix, type, values);

        if (!records.TryGetValue(zone.Id, out var list))
        {
            records[zone.Id] = list = [];
        }

        list.Add(new WrittenRecordSet(r, path, new RecordSet(name, type, alias is null ? ttl : 0, values, alias, routing)));
    }

    /// <summary>Names are kept lower-case and without the final dot.</summary>
    private static string NormalizeName(string name) => name.TrimEnd('.').ToLowerInvariant();
}
