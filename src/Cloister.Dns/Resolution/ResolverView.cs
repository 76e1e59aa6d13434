using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Cloister.Dns.Logging;
using Cloister.Dns.Wire;
using Cloister.Model.Network;

namespace Cloister.Dns.Resolution;

/// <summary>
/// What one VPC's Resolver knows, compiled from the model into lookup tables and never changed afterwards:
/// its rules, the private zones associated with it (user zones and interface endpoint private DNS), its
/// CIDR blocks for EC2 names, the zones of Route 53's autodefined rules (peered VPCs' reverse zones, <c>localhost</c>
/// and the other locally served zones), the sandbox's public names, who its hosts are (for query logs) and where
/// its query logs go. A new model makes new views, swapped in whole.
/// </summary>
internal sealed class ResolverView
{
    private readonly FrozenDictionary<string, ForwardRule> _rules;
    private readonly FrozenDictionary<string, LocalZone> _zones;
    private readonly FrozenDictionary<string, SyntheticZone> _synthetic;
    private readonly FrozenDictionary<string, ForwardRule>.AlternateLookup<ReadOnlySpan<char>> _rulesBySpan;
    private readonly FrozenDictionary<string, LocalZone>.AlternateLookup<ReadOnlySpan<char>> _zonesBySpan;
    private readonly FrozenDictionary<string, SyntheticZone>.AlternateLookup<ReadOnlySpan<char>> _syntheticBySpan;
    private readonly FrozenSet<string> _aboveLocal;
    private readonly SyntheticZone _ec2Zone;
    private readonly bool _autodefinedRules;
    private readonly PublicNames _publicNames;
    private readonly ImmutableArray<Ipv4Cidr> _cidrs;
    private readonly FrozenDictionary<IPAddress, string> _instances;
    private readonly FrozenDictionary<string, ResourceNamedInstance>.AlternateLookup<ReadOnlySpan<char>> _resourceNames;

    public ResolverView(
        string vpcId,
        string region,
        bool dnsSupport,
        bool autodefinedRules,
        IEnumerable<ForwardRule> rules,
        IEnumerable<LocalZone> zones,
        PublicNames publicNames,
        ImmutableArray<Ipv4Cidr> cidrs,
        IEnumerable<SyntheticZone> autodefined,
        IEnumerable<(Instance Instance, IPAddress Address)> instances,
        ImmutableArray<QueryLogSink> logSinks)
    {
        VpcId = vpcId;
        Region = region;
        DnsSupport = dnsSupport;
        _autodefinedRules = autodefinedRules;
        Ec2Domain = AutodefinedZones.Ec2Domain(region);
        _rules = rules.ToFrozenDictionary(r => r.Domain, DnsName.Comparer);
        _zones = zones.ToFrozenDictionary(z => z.Apex, DnsName.Comparer);
        _ec2Zone = new SyntheticZone(Ec2Domain);
        var synthetic = new Dictionary<string, SyntheticZone>(DnsName.Comparer) { [Ec2Domain] = _ec2Zone };
        foreach (var reverse in cidrs.SelectMany(c => c.ReverseZoneNames()))
        {
            synthetic.TryAdd(reverse, new SyntheticZone(reverse));
        }

        // After the VPC's own zones, so that a VPC whose block is 10.0.0.0/8 answers 10.in-addr.arpa from it.
        foreach (var zone in autodefined)
        {
            synthetic.TryAdd(zone.Apex, zone);
        }

        _synthetic = synthetic.ToFrozenDictionary(DnsName.Comparer);
        _aboveLocal = _zones.Keys.Concat(_synthetic.Keys).SelectMany(PublicNames.Ancestors).ToFrozenSet(DnsName.Comparer);
        _rulesBySpan = _rules.GetAlternateLookup<ReadOnlySpan<char>>();
        _zonesBySpan = _zones.GetAlternateLookup<ReadOnlySpan<char>>();
        _syntheticBySpan = _synthetic.GetAlternateLookup<ReadOnlySpan<char>>();
        _publicNames = publicNames;
        _cidrs = cidrs;
        var addressed = instances.ToList();
        _instances = addressed.DistinctBy(i => i.Address).ToFrozenDictionary(i => i.Address, i => i.Instance.Id);
        _resourceNames = addressed
            .Where(i => i.Instance.PrivateDnsNameOptions.EnableResourceNameDnsARecord || i.Instance.PrivateDnsNameOptions.EnableResourceNameDnsAAAARecord)
            .DistinctBy(i => i.Instance.Id, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(i => i.Instance.Id, i => new ResourceNamedInstance(i.Address, i.Instance.PrivateDnsNameOptions.EnableResourceNameDnsARecord), StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        LogSinks = logSinks;
    }

    public string VpcId { get; }

    public string Region { get; }

    /// <summary>The VPC's <c>enableDnsSupport</c>: without it the resolver refuses every query.</summary>
    public bool DnsSupport { get; }

    /// <summary>The domain of EC2 private host names: <c>{region}.compute.internal</c>, <c>ec2.internal</c> in us-east-1.</summary>
    public string Ec2Domain { get; }

    /// <summary>The query logging configurations associated with this VPC.</summary>
    public ImmutableArray<QueryLogSink> LogSinks { get; }

    public IReadOnlyCollection<string> ZoneNames => _zones.Keys;

    /// <summary>The instance with <paramref name="address"/>, for <c>srcids.instance</c>.</summary>
    public string? InstanceAt(IPAddress address) => _instances.TryGetValue(address, out var id) ? id : null;

    /// <summary>
    /// The rule in force for <paramref name="name"/>: the most specific matching rule, unless a private zone or (with
    /// <c>enableDnsHostnames</c>) one of Route 53's autodefined system rules — the EC2 domains, the reverse zones of the
    /// VPC and its peers, <c>localhost</c> and the other locally served zones — is more specific still. A rule and a
    /// zone of the same name: the rule wins, as a rule overrides an autodefined rule only for the same or a more
    /// specific domain. So a FORWARD rule for <c>.</c>, <c>internal</c> or <c>in-addr.arpa</c> leaves the EC2 names,
    /// the VPC's reverse names and <c>10.in-addr.arpa</c> local.
    /// </summary>
    public ForwardRule? RuleFor(string name)
    {
        if (_rules.Count == 0)
        {
            return null;
        }

        var zoneAt = -1;
        for (var at = 0; at >= 0; at = NextSuffix(name, at))
        {
            var candidate = name.AsSpan(at);
            if (_rulesBySpan.TryGetValue(candidate, out var rule))
            {
                return zoneAt >= 0 && zoneAt < at ? null : rule;
            }

            if (zoneAt < 0 && (_zonesBySpan.ContainsKey(candidate) || (_autodefinedRules && _syntheticBySpan.ContainsKey(candidate))))
            {
                zoneAt = at;
            }
        }

        return null;
    }

    /// <summary>
    /// Answers from the view's own data: the most specific private zone or synthetic zone (EC2 names, the reverse zones
    /// of the VPC and its peers, the locally served zones; a private zone wins at the same name), else public names, else
    /// NXDOMAIN. Names above any of these exist without records (NODATA, RFC 8020), inside a locally served zone too
    /// (<c>237.10.in-addr.arpa</c> above a VPC's <c>52.237.10.in-addr.arpa</c>). Every negative answer carries a SOA, so
    /// it can be cached (RFC 2308).
    /// </summary>
    public LocalAnswer ResolveLocally(string name, DnsRecordType type)
    {
        for (var at = 0; at >= 0; at = NextSuffix(name, at))
        {
            var suffix = name.AsSpan(at);
            if (_zonesBySpan.TryGetValue(suffix, out var zone))
            {
                return zone.Lookup(name, type);
            }

            if (_syntheticBySpan.TryGetValue(suffix, out var synthetic))
            {
                return synthetic.IsLocallyServed ? (at > 0 && _aboveLocal.Contains(name) ? synthetic.NoData : synthetic.Lookup(name, type))
                    : ReferenceEquals(synthetic, _ec2Zone) ? Ec2Answer(name, type)
                    : ReverseAnswer(synthetic, name, type);
            }
        }

        if (name.Length == 0)
        {
            return SyntheticZone.Root.AtApex(type);
        }

        if (_publicNames.Lookup(name, type) is { } answer)
        {
            return answer;
        }

        var publicZone = _publicNames.ZoneOf(name);
        return _aboveLocal.Contains(name) ? publicZone.NoData : publicZone.NxDomain;
    }

    /// <summary>Where the name one label above <c>name[at..]</c> starts; the root is the end of the string, then -1.</summary>
    private static int NextSuffix(string name, int at)
    {
        if (at >= name.Length)
        {
            return -1;
        }

        for (var i = at; i < name.Length; i++)
        {
            if (name[i] == '\\')
            {
                i++;
            }
            else if (name[i] == '.')
            {
                return i + 1;
            }
        }

        return name.Length;
    }

    /// <summary>
    /// A name at or below the EC2 domain: the IP name <c>ip-a-b-c-d</c> of any address of the VPC (always answered, as
    /// EC2 answers IP names whatever the host name options), the resource name <c>i-...</c> of an instance of the VPC
    /// that enables a record for it (A with EnableResourceNameDnsARecord; with only AAAA enabled the name exists
    /// without an address Cloister could give, NODATA), else nothing.
    /// </summary>
    private LocalAnswer Ec2Answer(string name, DnsRecordType type)
    {
        if (name.Length == Ec2Domain.Length)
        {
            return _ec2Zone.AtApex(type);
        }

        var label = name.AsSpan(0, name.Length - Ec2Domain.Length - 1);
        uint number;
        if (_resourceNames.TryGetValue(label, out var instance))
        {
            if (!instance.ARecord)
            {
                return _ec2Zone.NoData;
            }

            number = Ipv4Cidr.ToNumber(instance.Address);
        }
        else if (!AddressNames.TryParseHostLabel(label, out number) || !InVpc(number))
        {
            return _ec2Zone.NxDomain;
        }

        return type is DnsRecordType.A or DnsRecordType.ANY
            ? new LocalAnswer(DnsResponseCode.NoError, [new DnsResourceRecord(name, DnsRecordType.A, 60, new AddressRecordData(AddressNames.ToAddress(number)))], [])
            : _ec2Zone.NoData;
    }

    /// <summary>
    /// A name at or below a reverse zone of the VPC or of a peered VPC: a PTR for a whole address (the zones cover
    /// their blocks exactly, so every address below one is in it), NODATA for a shorter prefix (an empty non-terminal),
    /// NXDOMAIN for any other form. The PTR names the address's EC2 host name; a peer is in the same region.
    /// </summary>
    private LocalAnswer ReverseAnswer(SyntheticZone zone, string name, DnsRecordType type)
    {
        if (name.Length == zone.Apex.Length)
        {
            return zone.AtApex(type);
        }

        if (!AddressNames.TryParseReverse(name, out var value, out var octets))
        {
            return zone.NxDomain;
        }

        if (octets < 4)
        {
            return zone.NoData;
        }

        return type is DnsRecordType.PTR or DnsRecordType.ANY
            ? new LocalAnswer(DnsResponseCode.NoError, [new DnsResourceRecord(name, DnsRecordType.PTR, 60, new NameRecordData(HostName(AddressNames.ToAddress(value))))], [])
            : zone.NoData;
    }

    private string HostName(IPAddress address) => Ec2HostNames.IpName(address.ToString(), Region);

    /// <summary>Whether <paramref name="address"/> lies in one of the VPC's CIDR blocks.</summary>
    public bool InVpc(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && InVpc(Ipv4Cidr.ToNumber(address));

    private bool InVpc(uint address)
    {
        foreach (var cidr in _cidrs)
        {
            if (cidr.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
