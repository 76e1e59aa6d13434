using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Dns;
using Cloister.Model.Network;

namespace Cloister.Dns.Tests.Support;

/// <summary>Models shaped like the seed architecture: an API VPC with an execute-api endpoint and an inbound endpoint, a client VPC with an outbound endpoint and a FORWARD rule.</summary>
internal static class TestModels
{
    public const string Region = "eu-central-1";
    public const string Account = "123456789012";
    public const string ApiVpc = "vpc-0a0a0a0a0a0a0a0a0";
    public const string ClientVpc = "vpc-0c0c0c0c0c0c0c0c0";
    public const string ApiVpce = "vpce-0123456789abcdef0";
    public const string ApiId = "a1b2c3d4e5";
    public const string InstanceId = "i-0123456789abcdef0";
    public const string InboundId = "rslvr-in-0123456789abcdef0";
    public const string OutboundId = "rslvr-out-0123456789abcdef0";
    public const string ZoneId = "Z0123456789ABCDEFGHIJ";
    public const string Alb = "internal-app-1234567890.eu-central-1.elb.amazonaws.com";
    public const string Nlb = "net-0123456789.elb.eu-central-1.amazonaws.com";

    /// <summary>The hosted zone id of the Region's load balancer names, as alias targets name it.</summary>
    public const string ElbZoneId = "Z215JYRZR1TBD5";

    public static Vpc ApiVpcRecord { get; } = new(ApiVpc, "ApiVpc", "10.0.0.0/16", EnableDnsSupport: true, EnableDnsHostnames: true);

    public static Vpc ClientVpcRecord { get; } = new(ClientVpc, "ClientVpc", "172.128.0.0/16", EnableDnsSupport: true, EnableDnsHostnames: true);

    public static CloudModel ApiOnly() => new()
    {
        Account = new AccountContext(Account, Region),
        Vpcs = [ApiVpcRecord],
        Subnets =
        [
            new Subnet("subnet-0aaaaaaaaaaaaaaa1", "Private1", ApiVpc, "10.0.1.0/24", "eu-central-1a"),
            new Subnet("subnet-0aaaaaaaaaaaaaaa2", "Private2", ApiVpc, "10.0.2.0/24", "eu-central-1b"),
        ],
        VpcEndpoints =
        [
            new VpcEndpoint(
                ApiVpce,
                "ApiEndpoint",
                ApiVpc,
                $"com.amazonaws.{Region}.execute-api",
                VpcEndpointType.Interface,
                ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
                ["sg-0123456789abcdef0"],
                [],
                PrivateDnsEnabled: true,
                PolicyDocument: null,
                [
                    new NetworkInterface("eni-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa1", "10.0.1.100", ["sg-0123456789abcdef0"], $"VPC Endpoint Interface {ApiVpce}"),
                    new NetworkInterface("eni-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa2", "10.0.2.100", ["sg-0123456789abcdef0"], $"VPC Endpoint Interface {ApiVpce}"),
                ]),
        ],
        Instances = [new Instance(InstanceId, "Host", "subnet-0aaaaaaaaaaaaaaa1", "10.0.1.5", [])],
        RestApis = [new RestApi(ApiId, "Api", "claims", EndpointType.Private, [ApiVpce], null, [], [], "HEADER", [])],
        HostedZones =
        [
            new HostedZone(ZoneId, "Zone", "corp.internal.", true, [ApiVpc],
            [
                Set("www.corp.internal", "A", 300, "10.0.1.20", "10.0.1.21"),
                Set("www.corp.internal", "AAAA", 300, "fd00::20"),
                Set("alias.corp.internal", "CNAME", 300, "www.corp.internal"),
                Set("api.corp.internal", "A", 0, alias: new AliasTarget(VpcEndpointDnsNamesFor(ApiVpce), "Z1K56Z6FNPJRR")),
                Set("*.wild.corp.internal", "A", 60, "10.0.9.9"),
                Set("mail.corp.internal", "MX", 300, "10 mx1.corp.internal"),
                Set("text.corp.internal", "TXT", 300, "\"hello world\" \"second\""),
                Set("_sip._tcp.corp.internal", "SRV", 300, "1 10 5060 sip.corp.internal"),
                Set("corp.internal", "CAA", 300, "0 issue \"amazon.com\""),
                Set("big.corp.internal", "TXT", 300, [.. Enumerable.Range(0, 20).Select(i => $"\"{new string((char)('a' + i), 200)}\"")]),
            ]),
        ],
        QueryLogConfigs = [new ResolverQueryLogConfig("rslvr-qlc-0123456789abcdef0", "QueryLog", "all", "arn:aws:logs:eu-central-1:123456789012:log-group:dns", [ApiVpc, ClientVpc])],
    };

    /// <summary><see cref="ApiOnly"/> with <paramref name="records"/> added to its private zone.</summary>
    public static CloudModel WithZoneRecords(params RecordSet[] records)
    {
        var model = ApiOnly();
        return model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.AddRange(records) }] };
    }

    public static string VpcEndpointDnsNamesFor(string vpceId) =>
        $"{vpceId}-{Cloister.Dns.Resolution.VpcEndpointDnsNames.Suffix(vpceId)}.execute-api.{Region}.vpce.amazonaws.com";

    public static RecordSet Set(string name, string type, uint ttl, params string[] values) => new(name, type, ttl, [.. values]);

    public static RecordSet Set(string name, string type, uint ttl, AliasTarget alias) => new(name, type, ttl, [], alias);

    /// <summary>
    /// A DynamoDB interface endpoint <paramref name="id"/> in the API VPC with one interface in each of its two subnets,
    /// at <c>10.0.1.{hostOctet}</c> and <c>10.0.2.{hostOctet}</c>.
    /// </summary>
    public static VpcEndpoint DynamoDbInterfaceEndpoint(string id, int hostOctet, bool privateDns, bool inboundOnly = false) =>
        new(
            id,
            "DynamoDbInterface",
            ApiVpc,
            $"com.amazonaws.{Region}.dynamodb",
            VpcEndpointType.Interface,
            ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
            [],
            [],
            PrivateDnsEnabled: privateDns,
            PolicyDocument: null,
            [
                new NetworkInterface($"eni-{id[5..]}1", "subnet-0aaaaaaaaaaaaaaa1", $"10.0.1.{hostOctet}", [], $"VPC Endpoint Interface {id}"),
                new NetworkInterface($"eni-{id[5..]}2", "subnet-0aaaaaaaaaaaaaaa2", $"10.0.2.{hostOctet}", [], $"VPC Endpoint Interface {id}"),
            ])
        {
            DnsOptions = new VpcEndpointDnsOptions(PrivateDnsOnlyForInboundResolverEndpoint: inboundOnly),
        };

    /// <summary><paramref name="model"/> with the <see cref="DynamoDbInterfaceEndpoint"/> <paramref name="id"/> added.</summary>
    public static CloudModel WithDynamoDbInterfaceEndpoint(CloudModel model, string id, int hostOctet, bool privateDns, bool inboundOnly = false) =>
        model with { VpcEndpoints = model.VpcEndpoints.Add(DynamoDbInterfaceEndpoint(id, hostOctet, privateDns, inboundOnly)) };

    /// <summary>The endpoint-specific DNS name of the DynamoDB interface endpoint <paramref name="vpceId"/>: regional, or of one availability <paramref name="zone"/>.</summary>
    public static string DynamoDbEndpointName(string vpceId, string zone = "") =>
        $"{vpceId}-{VpcEndpointDnsSuffix.Of(vpceId)}{(zone.Length > 0 ? "-" + zone : "")}.dynamodb.{Region}.vpce.amazonaws.com";

    /// <summary>
    /// <paramref name="model"/> with an outbound endpoint in the API VPC at <paramref name="source"/> and one rule per
    /// (domain, type, target), each associated with the API VPC; FORWARD rules go out through that endpoint.
    /// </summary>
    public static CloudModel WithRules(CloudModel model, string source, params (string Domain, ResolverRuleType Type, TargetAddress? Target)[] rules) => model with
    {
        ResolverEndpoints = [new ResolverEndpoint("rslvr-out-0000000000000000a", "Out", "out", ResolverDirection.Outbound, ApiVpc, [], [new ResolverIpAddress("subnet-0aaaaaaaaaaaaaaa1", source, "rni-0000000000000000a")])],
        ResolverRules = [.. rules.Select((r, i) => new ResolverRule($"rslvr-rr-{i:D17}", $"Rule{i}", r.Domain, r.Domain, r.Type, r.Type == ResolverRuleType.Forward ? "rslvr-out-0000000000000000a" : null, r.Target is null ? [] : [r.Target]))],
        ResolverRuleAssociations = [.. rules.Select((r, i) => new ResolverRuleAssociation($"rslvr-rrassoc-{i:D17}", $"Assoc{i}", $"rslvr-rr-{i:D17}", ApiVpc))],
    };

    /// <summary>The API VPC and a client VPC with no rules.</summary>
    public static CloudModel TwoVpcs() => ApiOnly() with { Vpcs = [ApiVpcRecord, ClientVpcRecord] };

    /// <summary>The API VPC plus a client VPC whose FORWARD rule sends execute-api names out through an outbound endpoint to <paramref name="targets"/>.</summary>
    public static CloudModel WithClient(ImmutableArray<TargetAddress> targets, ImmutableArray<string> outboundAddresses, ImmutableArray<string> inboundAddresses)
    {
        var model = ApiOnly();
        return model with
        {
            Vpcs = [ApiVpcRecord, ClientVpcRecord],
            ResolverEndpoints =
            [
                new ResolverEndpoint(InboundId, "Inbound", "in", ResolverDirection.Inbound, ApiVpc, ["sg-0123456789abcdef1"], [.. inboundAddresses.Select((a, i) => new ResolverIpAddress("subnet-0aaaaaaaaaaaaaaa1", a, $"rni-0000000000000000{i}"))]),
                new ResolverEndpoint(OutboundId, "Outbound", "out", ResolverDirection.Outbound, ClientVpc, ["sg-0123456789abcdef2"], [.. outboundAddresses.Select((a, i) => new ResolverIpAddress("subnet-0ccccccccccccccc1", a, $"rni-1111111111111111{i}"))]),
            ],
            ResolverRules = [new ResolverRule("rslvr-rr-0123456789abcdef0", "ForwardApi", "api", $"execute-api.{Region}.amazonaws.com", ResolverRuleType.Forward, OutboundId, targets)],
            ResolverRuleAssociations = [new ResolverRuleAssociation("rslvr-rrassoc-0123456789abcdef0", "Assoc", "rslvr-rr-0123456789abcdef0", ClientVpc)],
        };
    }
}
