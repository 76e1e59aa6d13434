using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Cloister.Dns.Logging;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Dns;
using Cloister.Model.Identifiers;
using Cloister.Model.Network;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Compiles a <see cref="CloudModel"/> into one <see cref="ResolverView"/> per VPC. Resources that cannot be
/// served (an unparsable value, a rule without endpoint addresses) are reported through the callback and
/// left out; everything else still resolves.
/// </summary>
internal sealed partial class DnsViewBuilder
{
    /// <summary>The view of the region's public resolver (for functions outside VPCs): public names only.</summary>
    internal const string PublicViewId = "public";

    /// <summary>The TTL Route 53 gives alias answers and AWS-managed names.</summary>
    internal const uint ManagedTtl = 60;

    private static readonly SoaRecordData PrivateZoneSoa = new("ns-1536.awsdns-00.co.uk", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 86400);
    // AWS's own public zones (amazonaws.com, amazon.com) carry this SOA in their negative answers; the sandbox gives it to
    // the endpoint-specific names' zone, whose own SOA no public capture shows (docs/dns.md).
    private static readonly SoaRecordData AwsPublicZoneSoa = new("dns-external-master.amazon.com", "root.amazon.com", 1, 180, 60, 3024000, SyntheticZone.NegativeTtl);
    private static readonly string[] PrivateZoneNameServers = ["ns-0.awsdns-00.com", "ns-512.awsdns-00.net", "ns-1024.awsdns-00.org", "ns-1536.awsdns-00.co.uk"];

    private readonly CloudModel _model;
    private readonly Action<string, string> _skip;
    private readonly string _region;
    private readonly string _suffix;
    private readonly ImmutableArray<SyntheticZone> _locallyServed;
    private readonly IReadOnlySet<string> _unhealthyNames;

    private DnsViewBuilder(CloudModel model, Action<string, string> skip, IReadOnlySet<string> unhealthyNames)
    {
        _model = model;
        _skip = skip;
        _unhealthyNames = unhealthyNames;
        _region = model.Account.Region;
        _suffix = model.Account.UrlSuffix;
        _locallyServed = AutodefinedZones.LocallyServed(_region, _suffix);
    }

    /// <summary>Builds the views of every VPC in <paramref name="model"/>.</summary>
    public static DnsViewSet Build(
        CloudModel model,
        IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> additionalNames,
        Func<ResolverQueryLogConfig, QueryLogSink?> sinkFor,
        Action<string, string> skip,
        IReadOnlySet<string>? unhealthyNames = null)
    {
        unhealthyNames ??= new HashSet<string>(DnsName.Comparer);
        var builder = new DnsViewBuilder(model, skip, unhealthyNames);
        var publicNames = builder.BuildPublicNames(additionalNames);
        // Functions outside VPCs resolve through the region's public resolver: public names only.
        var publicView = new Vpc(PublicViewId, PublicViewId, "198.18.0.0/15", EnableDnsSupport: true, EnableDnsHostnames: false);
        var rules = new Dictionary<string, ResolverRule>(StringComparer.Ordinal);
        foreach (var rule in model.ResolverRules)
        {
            if (!rules.TryAdd(rule.Id, rule))
            {
                skip(rule.LogicalId, $"the id {rule.Id} is used by another rule; left out");
            }
        }

        var views = model.Vpcs.Append(publicView).ToFrozenDictionary(v => v.Id, v => builder.BuildView(v, publicNames, rules, sinkFor), StringComparer.Ordinal);
        var inbound = new Dictionary<InboundEndpointAddress, ListenerScope>();
        foreach (var endpoint in model.ResolverEndpoints.Where(e => e.Direction == ResolverDirection.Inbound))
        {
            foreach (var address in endpoint.IpAddresses.Where(a => a.Ip is not null))
            {
                inbound[new InboundEndpointAddress(endpoint.VpcId, address.Ip!)] = new ListenerScope(endpoint.VpcId, endpoint.Id, address.NetworkInterfaceId);
            }
        }

        // A second view, built quietly (its problems are the first one's), for VPCs whose inbound endpoints see more private DNS.
        var quiet = new DnsViewBuilder(model, (_, _) => { }, unhealthyNames);
        var inboundViews = model.Vpcs
            .Where(v => builder.InterfaceEndpoints().Any(e => e.VpcId == v.Id && e.PrivateDnsEnabled && e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint))
            .ToFrozenDictionary(v => v.Id, v => quiet.BuildView(v, publicNames, rules, sinkFor, inbound: true), StringComparer.Ordinal);
        return new DnsViewSet(views, inbound.ToFrozenDictionary(), model.Account.AccountId) { InboundViews = inboundViews };
    }

    private PublicNames BuildPublicNames(IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> additionalNames)
    {
        var records = new List<DnsResourceRecord>();
        foreach (var (name, address) in RegionalServiceAddresses.HostNames(_region, _suffix))
        {
            records.Add(Address(name, address));
        }

        foreach (var endpoint in InterfaceEndpoints())
        {
            records.AddRange(EndpointAddresses(endpoint).Select(a => Address(VpcEndpointDnsNames.RegionalName(endpoint, _region, _suffix), a)));
            foreach (var zone in endpoint.NetworkInterfaces.GroupBy(AvailabilityZoneOf))
            {
                if (zone.Key is null)
                {
                    continue;
                }

                var zonal = VpcEndpointDnsNames.ZonalName(endpoint, zone.Key, _region, _suffix);
                records.AddRange(zone.Select(n => IPAddress.TryParse(n.PrivateIpAddress, out var a) ? Address(zonal, a) : null).OfType<DnsResourceRecord>());
            }
        }

        records.AddRange(ApiAssociationRecords());
        records.AddRange(RegionalDomainRecords());
        foreach (var (name, addresses) in additionalNames)
        {
            var normalized = DnsName.Normalize(name);
            records.AddRange(addresses.Select(a => Address(normalized, a)));
            if (IsLoadBalancerName(normalized))
            {
                // ELB answers every load balancer's name behind "dualstack." too: the console offers that form as an
                // alias target and the CDK's LoadBalancerTarget always writes it.
                records.AddRange(addresses.Select(a => Address("dualstack." + normalized, a)));
            }
        }

        // DynamoDB's account-based endpoints, {account-id}.ddb.{region}.amazonaws.com, at DynamoDB's address; API
        // Gateway's default names, {api-id}.execute-api.{region}.amazonaws.com, at the Region's front end (docs/dns.md,
        // "Default execute-api names"), for any label shaped as an API id.
        var executeApi = $"execute-api.{_region}.{_suffix}";
        var children = RegionalServiceAddresses.HostDomains(_region, _suffix).Select(p => Address(p.Key, p.Value))
            .Append(Address(executeApi, RegionalServiceAddresses.AddressOf("execute-api")!));
        // A label shaped as the ids API Gateway draws for REST APIs; the other names under execute-api.{region} (d-…,
        // {api-id}-{vpce-id}) have hyphens and records of their own.
        var labels = new Dictionary<string, Func<string, bool>>(DnsName.Comparer) { [executeApi] = label => IdShapes.Matches(IdKind.RestApi, label) };
        return new PublicNames(records, children, [new SyntheticZone(VpcEndpointDnsNames.EndpointZone(_region, _suffix), AwsPublicZoneSoa)], labels);
    }

    /// <summary>An Application (<c>{name}.{region}.elb.{suffix}</c>) or Network (<c>{name}.elb.{region}.{suffix}</c>) Load Balancer's name.</summary>
    private bool IsLoadBalancerName(string name) =>
        !name.StartsWith("dualstack.", StringComparison.OrdinalIgnoreCase)
        && (name.EndsWith($".{_region}.elb.{_suffix}", StringComparison.OrdinalIgnoreCase) || name.EndsWith($".elb.{_region}.{_suffix}", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The <c>d-….execute-api.{region}.amazonaws.com</c> names of REGIONAL custom domain names: on AWS public names of the
    /// Region's API Gateway front end, here the region's execute-api address (<see cref="RegionalServices"/>), where the
    /// gateway serves the custom names' Hosts (docs/dns.md, "Regional custom domain names").
    /// </summary>
    private IEnumerable<DnsResourceRecord> RegionalDomainRecords()
    {
        var address = RegionalServiceAddresses.AddressOf("execute-api")!;
        var domain = $".execute-api.{_region}.{_suffix}";
        foreach (var name in _model.DomainNames.Where(d => d.EndpointType == EndpointType.Regional))
        {
            if (name.RegionalDomainName is not { } regional)
            {
                continue;
            }

            var normalized = DnsName.Normalize(regional);
            if (!DnsName.IsValid(normalized) || !normalized.EndsWith(domain, StringComparison.OrdinalIgnoreCase) || normalized.IndexOf('.', StringComparison.Ordinal) != normalized.Length - domain.Length)
            {
                _skip(name.LogicalId, $"the regional domain name '{regional}' is not one label under {domain[1..]}; left out");
                continue;
            }

            yield return Address(normalized, address);
        }
    }

    private IEnumerable<DnsResourceRecord> ApiAssociationRecords()
    {
        var endpoints = InterfaceEndpoints().ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var api in _model.RestApis.Where(a => a.EndpointType == EndpointType.Private))
        {
            foreach (var vpceId in api.VpcEndpointIds)
            {
                if (!endpoints.TryGetValue(vpceId, out var endpoint))
                {
                    continue;
                }

                var name = VpcEndpointDnsNames.ApiAssociationName(api.Id, vpceId, _region, _suffix);
                foreach (var address in EndpointAddresses(endpoint))
                {
                    yield return Address(name, address);
                }
            }
        }
    }

    // inbound: whether the view answers queries through the VPC's inbound endpoints; only then does it hold the private
    // DNS of endpoints with PrivateDnsOnlyForInboundResolverEndpoint (the VPC's own resolver answers the regional address,
    // reached through the gateway endpoint).
    private ResolverView BuildView(Vpc vpc, PublicNames publicNames, Dictionary<string, ResolverRule> rules, Func<ResolverQueryLogConfig, QueryLogSink?> sinkFor, bool inbound = false)
    {
        var zones = new List<LocalZone>();
        var hostnames = vpc.EnableDnsSupport && vpc.EnableDnsHostnames;
        if (hostnames)
        {
            foreach (var endpoint in InterfaceEndpoints().Where(e => e.VpcId == vpc.Id && e.PrivateDnsEnabled && (inbound || !e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint)))
            {
                var zone = EndpointZone(endpoint, publicNames);
                if (zones.Exists(z => DnsName.Comparer.Equals(z.Apex, zone.Apex)))
                {
                    // AWS refuses private DNS on a second endpoint for the same service in one VPC.
                    _skip(endpoint.Id, $"another endpoint in {vpc.Id} already has private DNS for {zone.Apex}; its private DNS is left out");
                    continue;
                }

                zones.Add(zone);
            }

            var hostedApexes = new HashSet<string>(DnsName.Comparer);
            foreach (var zone in _model.HostedZones.Where(z => z.IsPrivate && z.VpcIds.Contains(vpc.Id)))
            {
                var apex = DnsName.Normalize(zone.Name);
                if (!DnsName.IsValid(apex))
                {
                    _skip(zone.LogicalId, $"'{zone.Name}' is not a valid zone name; left out");
                    continue;
                }

                if (!hostedApexes.Add(apex))
                {
                    // AWS refuses to associate two private zones of one name with one VPC (ConflictingDomainExists).
                    _skip(zone.LogicalId, $"another private zone named {DnsName.WithFinalDot(apex)} is associated with {vpc.Id}; this one is left out of it");
                    continue;
                }

                zones.RemoveAll(z => DnsName.Comparer.Equals(z.Apex, apex));
                zones.Add(HostedZoneOf(zone, apex, publicNames));
            }
        }
        else if (_model.HostedZones.Any(z => z.IsPrivate && z.VpcIds.Contains(vpc.Id)))
        {
            _skip(vpc.Id, "private hosted zones and endpoint private DNS need enableDnsSupport and enableDnsHostnames");
        }

        var subnets = _model.Subnets.Where(s => s.VpcId == vpc.Id).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var instances = new List<(Instance, IPAddress)>();
        foreach (var instance in _model.Instances.Where(i => subnets.Contains(i.SubnetId)))
        {
            if (IPAddress.TryParse(instance.PrivateIpAddress, out var address))
            {
                instances.Add((instance, address));
            }
        }

        var cidrs = Ipv4Cidr.TryParse(vpc.CidrBlock, out var cidr) ? [cidr] : ImmutableArray<Ipv4Cidr>.Empty;
        var sinks = _model.QueryLogConfigs.Where(c => c.VpcIds.Contains(vpc.Id)).Select(sinkFor).OfType<QueryLogSink>().ToImmutableArray();
        var autodefined = PeerReverseZones(vpc).Concat(_locallyServed);
        // Route 53 creates its autodefined rules (EC2 names, reverse zones, localhost...) when enableDnsHostnames is set.
        return new ResolverView(vpc.Id, _region, vpc.EnableDnsSupport, hostnames, RulesOf(vpc, rules), zones, publicNames, cidrs, autodefined, instances, sinks);
    }

    /// <summary>
    /// The reverse zones of the VPCs peered with <paramref name="vpc"/> by an accepted connection and with DNS support:
    /// Route 53 adds an autodefined rule for "the reverse DNS lookup for the peer VPC's IP address ranges".
    /// </summary>
    private IEnumerable<SyntheticZone> PeerReverseZones(Vpc vpc)
    {
        foreach (var peering in _model.PeeringConnections.Where(p => p.Accepted))
        {
            var peerId = peering.RequesterVpcId == vpc.Id ? peering.AccepterVpcId
                : peering.AccepterVpcId == vpc.Id ? peering.RequesterVpcId
                : null;
            var peer = _model.Vpcs.FirstOrDefault(v => v.Id == peerId);
            if (peer is { EnableDnsSupport: true } && Ipv4Cidr.TryParse(peer.CidrBlock, out var block))
            {
                foreach (var apex in block.ReverseZoneNames())
                {
                    yield return new SyntheticZone(apex);
                }
            }
        }
    }

    private IEnumerable<ForwardRule> RulesOf(Vpc vpc, Dictionary<string, ResolverRule> rules)
    {
        // AWS refuses a second association of one rule with a VPC, and a second rule for one domain in a VPC: the first stands.
        var associated = new HashSet<string>(StringComparer.Ordinal);
        var domains = new Dictionary<string, ResolverRule>(DnsName.Comparer);
        foreach (var association in _model.ResolverRuleAssociations.Where(a => a.VpcId == vpc.Id))
        {
            if (!rules.TryGetValue(association.ResolverRuleId, out var rule))
            {
                _skip(association.Id, $"rule {association.ResolverRuleId} does not exist");
                continue;
            }

            if (!associated.Add(rule.Id))
            {
                _skip(association.Id, $"rule {rule.Id} is already associated with {vpc.Id}; this association is left out");
                continue;
            }

            var domain = DnsName.Normalize(rule.DomainName);
            if (!DnsName.IsValid(domain))
            {
                _skip(association.Id, $"rule {rule.Id} has the domain '{rule.DomainName}', not a valid name; left out");
                continue;
            }

            if (!domains.TryAdd(domain, rule))
            {
                var first = domains[domain];
                _skip(association.Id, $"rule {first.Id} for {DnsName.WithFinalDot(DnsName.Normalize(first.DomainName))} is already associated with {vpc.Id}; rule {rule.Id} is left out");
                continue;
            }

            if (rule.RuleType != ResolverRuleType.Forward)
            {
                yield return new ForwardRule(rule.Id, domain, false, null, null, [], []);
                continue;
            }

            var endpoint = _model.ResolverEndpoints.FirstOrDefault(e => e.Id == rule.ResolverEndpointId && e.Direction == ResolverDirection.Outbound);
            if (endpoint is null)
            {
                _skip(rule.Id, "its outbound endpoint does not exist; matching queries get SERVFAIL");
            }

            var sources = endpoint is null
                ? []
                : endpoint.IpAddresses.Select(a => IPAddress.TryParse(a.Ip, out var ip) ? ip : null).OfType<IPAddress>().ToImmutableArray();
            var ownInbound = _model.ResolverEndpoints
                .Where(e => e.Direction == ResolverDirection.Inbound && e.VpcId == vpc.Id)
                .SelectMany(e => e.IpAddresses)
                .Select(a => a.Ip)
                .ToHashSet(StringComparer.Ordinal);
            if (rule.TargetIps.Any(t => ownInbound.Contains(t.Ip)))
            {
                // AWS warns against this: the VPC's own inbound endpoint would send the query straight back to this rule.
                _skip(association.Id, $"rule {rule.Id} targets an inbound endpoint of {vpc.Id} itself, a forwarding loop; those targets are left out");
            }

            var targets = rule.TargetIps
                .Where(t => !ownInbound.Contains(t.Ip))
                .Select(t => IPAddress.TryParse(t.Ip, out var ip) && t.Port is > 0 and <= 65535 ? new IPEndPoint(ip, t.Port) : null)
                .OfType<IPEndPoint>()
                .ToImmutableArray();
            yield return new ForwardRule(rule.Id, domain, true, endpoint?.Id, endpoint?.VpcId, sources, targets);
        }
    }

    private LocalZone EndpointZone(VpcEndpoint endpoint, PublicNames publicNames)
    {
        var apex = VpcEndpointDnsNames.PrivateDnsName(endpoint, _region, _suffix);
        var records = new List<DnsResourceRecord>(ApexRecords(apex));
        foreach (var address in EndpointAddresses(endpoint))
        {
            records.Add(Address(apex, address));
            if (endpoint.ServiceShortName == "execute-api")
            {
                records.Add(Address("*." + apex, address));
            }
        }

        if (endpoint.ServiceShortName == "execute-api")
        {
            foreach (var api in _model.RestApis.Where(a => a.EndpointType == EndpointType.Private))
            {
                foreach (var vpceId in api.VpcEndpointIds)
                {
                    var name = VpcEndpointDnsNames.ApiAssociationName(api.Id, vpceId, _region, _suffix);
                    records.AddRange(publicNames.RecordsAt(name));
                }
            }
        }

        return new LocalZone("vpce-private-dns-" + endpoint.Id, apex, records[0], records);
    }

    private LocalZone HostedZoneOf(HostedZone zone, string apex, PublicNames publicNames)
    {
        var records = new List<DnsResourceRecord>(ApexRecords(apex));
        var plain = new List<DnsResourceRecord>();
        var aliases = new List<(string Name, DnsRecordType Type, AliasTarget Alias)>();
        var routed = new List<RoutedSet>();
        var namesWithOtherTypes = NamesWithOtherTypesThanCname(zone, apex);
        foreach (var set in zone.Records)
        {
            var name = DnsName.Normalize(set.Name);
            var where = $"{zone.LogicalId} record {set.Name} {set.Type}";
            if (!DnsName.IsValid(name) || !DnsName.IsAtOrBelow(name, apex))
            {
                _skip(where, $"the name is not in zone {apex}");
                continue;
            }

            if (!PresentationParser.TryParseType(set.Type, out var type))
            {
                _skip(where, "unknown record type");
                continue;
            }

            if (RefusedByRoute53(name, type, apex) is { } refusal)
            {
                _skip(where, refusal);
                continue;
            }

            if (type == DnsRecordType.CNAME && namesWithOtherTypes.Contains(name))
            {
                // Route 53 refuses either change ("not permitted at apex", "conflicts with other records with the same DNS
                // name"); a template may hold both, and the name's other record sets are what its other names rely on.
                _skip(where, DnsName.Comparer.Equals(name, apex)
                    ? "Route 53 does not permit a CNAME at the zone apex, beside the zone's SOA and NS; the CNAME is left out"
                    : "Route 53 does not permit a CNAME beside other record sets of its name (RFC 1034 §3.6.2); the CNAME is left out and the others answer");
                continue;
            }

            if (set.Routing is not null)
            {
                routed.Add(new RoutedSet(set, name, type, $"{where} ({set.Routing.SetIdentifier})"));
                continue;
            }

            if (set.Alias is not null)
            {
                aliases.Add((name, type, set.Alias));
                continue;
            }

            var parsed = plain.Count;
            plain.AddRange(Values(set, name, type, where));

            // The apex's own SOA or NS replace the defaults only once one of their values parsed: a zone always has its SOA.
            if (type is DnsRecordType.SOA or DnsRecordType.NS && DnsName.Comparer.Equals(name, apex) && plain.Count > parsed)
            {
                records.RemoveAll(r => r.Type == type);
            }
        }

        var aliasTargets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, type, alias) in aliases)
        {
            aliasTargets.TryAdd(AliasKey(name, type), DnsName.Normalize(alias.DnsName));
        }

        var dynamic = CompileRouting(routed, plain, aliasTargets, publicNames);
        records.AddRange(plain);
        var routedByName = dynamic.Select(p => (Name: p.Key.Name, Group: p.Value)).ToList();
        foreach (var (name, type, alias) in aliases)
        {
            // An alias to weighted or multivalue record sets of the zone answers as they do, drawn per query.
            if (dynamic.TryGetValue((DnsName.Normalize(alias.DnsName).ToLowerInvariant(), type), out var group))
            {
                routedByName.Add((name, group));
                continue;
            }

            var targetRecords = AliasTargetRecords(name, type, plain, aliasTargets, publicNames);
            if (targetRecords.Count == 0)
            {
                _skip($"{zone.LogicalId} alias {name}", $"alias target {alias.DnsName} has no {type} records in the sandbox; {name} {type} answers NODATA");
            }

            records.AddRange(targetRecords.Select(r => r.WithName(name)));
        }

        // An alias is a record set of the zone even when its target has no records of its type: its name exists (NODATA);
        // so is a routed record set that answers nothing in this Region.
        return new LocalZone(zone.Id, apex, records.First(r => r.Type == DnsRecordType.SOA), records, aliases.Select(a => a.Name).Concat(routed.Select(r => r.Name)), routedByName);
    }

    /// <summary>Why Route 53 would refuse a record set of <paramref name="type"/> at <paramref name="name"/> whatever the zone's other record sets, or null.</summary>
    private static string? RefusedByRoute53(string name, DnsRecordType type, string apex) => type switch
    {
        DnsRecordType.SOA when !DnsName.Comparer.Equals(name, apex) => "Route 53 holds a SOA only at the zone apex; left out",
        DnsRecordType.NS when name.StartsWith("*.", StringComparison.Ordinal) => "Route 53 does not take the * wildcard for NS record sets; left out",
        _ => null,
    };

    /// <summary>The apex (which holds the zone's SOA and NS) and every name of the zone with a record set of a type other than CNAME.</summary>
    private static HashSet<string> NamesWithOtherTypesThanCname(HostedZone zone, string apex)
    {
        var names = new HashSet<string>(DnsName.Comparer) { apex };
        foreach (var set in zone.Records)
        {
            if (PresentationParser.TryParseType(set.Type, out var type) && type != DnsRecordType.CNAME)
            {
                names.Add(DnsName.Normalize(set.Name));
            }
        }

        return names;
    }

    /// <summary>
    /// The records of a record set's values; a value that does not parse is reported and left out, and so is a value
    /// that repeats an earlier one (RFC 2181 §5: an RRset holds a record once; Route 53 refuses the record set) and any
    /// value after the first of a CNAME or SOA (Route 53 takes one; a name has one canonical name and a zone one SOA).
    /// </summary>
    private IEnumerable<DnsResourceRecord> Values(RecordSet set, string name, DnsRecordType type, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in set.Values)
        {
            if (PresentationParser.TryParse(type, value, out var data, out var problem))
            {
                if (type is DnsRecordType.CNAME or DnsRecordType.SOA && seen.Count > 0)
                {
                    _skip(where, $"'{value}' is a second value, and Route 53 takes one value for a {type} record set; the first is kept");
                    continue;
                }

                if (!seen.Add(data.ToPresentation()))
                {
                    _skip(where, $"'{value}' repeats a value of the record set, which Route 53 refuses (Duplicate Resource Record); answered once");
                    continue;
                }

                yield return new DnsResourceRecord(name, type, set.Ttl, data);
            }
            else
            {
                _skip(where, $"'{value}' is not a valid {type} value{(problem is null ? string.Empty : ": " + problem)}");
            }
        }
    }

    private static string AliasKey(string name, DnsRecordType type) => name.ToLowerInvariant() + "|" + ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The records an alias <paramref name="name"/> of <paramref name="type"/> answers with: those of its target in the same
    /// zone with their TTL, following the target when it is an alias itself (Route 53 accepts any record set of the zone
    /// as a target), else the AWS resource's with 60 s. A chain that comes back on itself answers nothing.
    /// </summary>
    private static List<DnsResourceRecord> AliasTargetRecords(string name, DnsRecordType type, List<DnsResourceRecord> plain, Dictionary<string, string> aliasTargets, PublicNames publicNames) =>
        AliasTargetRecords(name, aliasTargets[AliasKey(name, type)], type, plain, aliasTargets, publicNames);

    /// <summary>The records an alias <paramref name="name"/> to <paramref name="target"/> answers with (see the overload above).</summary>
    private static List<DnsResourceRecord> AliasTargetRecords(string name, string target, DnsRecordType type, List<DnsResourceRecord> plain, Dictionary<string, string> aliasTargets, PublicNames publicNames)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { AliasKey(name, type) };
        while (true)
        {
            var sameZone = plain.Where(r => r.Type == type && DnsName.Comparer.Equals(r.Name, target)).ToList();
            if (sameZone.Count > 0 || !aliasTargets.TryGetValue(AliasKey(target, type), out var next))
            {
                return [.. sameZone, .. publicNames.RecordsAt(target).Where(r => r.Type == type).Select(r => r.WithTtl(ManagedTtl))];
            }

            if (!seen.Add(AliasKey(target, type)))
            {
                return [];
            }

            target = next;
        }
    }

    private static IEnumerable<DnsResourceRecord> ApexRecords(string apex)
    {
        yield return new DnsResourceRecord(apex, DnsRecordType.SOA, 900, PrivateZoneSoa);
        foreach (var server in PrivateZoneNameServers)
        {
            yield return new DnsResourceRecord(apex, DnsRecordType.NS, 172800, new NameRecordData(server));
        }
    }

    private IEnumerable<VpcEndpoint> InterfaceEndpoints() => _model.VpcEndpoints.Where(e => e.Type == VpcEndpointType.Interface);

    private static IEnumerable<IPAddress> EndpointAddresses(VpcEndpoint endpoint) =>
        endpoint.NetworkInterfaces.Select(n => IPAddress.TryParse(n.PrivateIpAddress, out var a) ? a : null).OfType<IPAddress>();

    private string? AvailabilityZoneOf(NetworkInterface networkInterface) =>
        _model.Subnets.FirstOrDefault(s => s.Id == networkInterface.SubnetId)?.AvailabilityZone;

    private static DnsResourceRecord Address(string name, IPAddress address) =>
        new(name, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A, ManagedTtl, new AddressRecordData(address));
}
