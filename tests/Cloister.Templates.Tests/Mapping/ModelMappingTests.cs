using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Mapping;

public class ModelMappingTests
{
    private const string Network = """
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
          SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24, AvailabilityZone: eu-central-1b } }
        """;

    /// <summary>A role, an instance profile with it and an instance <c>WithProfile</c> using that profile.</summary>
    private const string RoleProfileAndInstance = """
              Role:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: app-role
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
              Profile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref Role] } }
              WithProfile: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref SubnetA, IamInstanceProfile: !Ref Profile } }

            """;

    private static TemplateLoadResult Load(string resources) => TestTemplates.LoadValid("Resources:\n" + Network + "\n" + resources);

    [Fact]
    public void Vpc_GetsMainRouteTableAndDefaultSecurityGroup()
    {
        var model = Load(string.Empty).Model;
        var vpc = model.Vpcs.Single();
        var main = Assert.Single(model.RouteTables);
        Assert.True(main.IsMain);
        Assert.Equal(vpc.Id, main.VpcId);
        var group = Assert.Single(model.SecurityGroups);
        Assert.Equal("default", group.Name);
        Assert.Equal(group.Id, Assert.Single(group.Ingress).ReferencedGroupId);
    }

    [Theory]
    [InlineData("eu-central-1d")]
    [InlineData("us-east-1a")]
    public void Subnet_ZoneTheRegionDoesNotHave_IsEc2sRefusal(string zone)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: {{zone}} } }
            """);

        Assert.Equal(("Subnet", "Properties.AvailabilityZone", 3), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal(
            $"Value ({zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: eu-central-1a, eu-central-1b, eu-central-1c.",
            problem.Message);
    }

    [Fact]
    public void Routes_TargetsByProperty()
    {
        var model = Load("""
              Igw: { Type: AWS::EC2::InternetGateway }
              Attach: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw } }
              Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
              ToInternet: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw } }
              ToVgw: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 192.168.0.0/16, GatewayId: vgw-0123456789abcdef0 } }
              Corp: { Type: AWS::EC2::PrefixList, Properties: { PrefixListName: corp, AddressFamily: IPv4, MaxEntries: 5, Entries: [{ Cidr: 192.168.0.0/16 }] } }
              ToList: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationPrefixListId: !Ref Corp, TransitGatewayId: tgw-1 } }
            """).Model;
        var table = model.RouteTables.Single(t => t.LogicalId == "Table");
        Assert.Equal(
            [RouteTargetKind.InternetGateway, RouteTargetKind.VpnGateway, RouteTargetKind.TransitGateway],
            table.Routes.Select(r => r.Target));
        Assert.True(table.Routes[2].IsPrefixListDestination);
    }

    [Fact]
    public void Route_SameDestinationTwiceInOneTable_IsProblemAtTheSecondAsEc2RefusesIt()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + """
              Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
              Other: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
              First: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.9.0.0/16, TransitGatewayId: tgw-1 } }
              Second: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.9.0.0/16, GatewayId: vgw-1 } }
              ToList: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationPrefixListId: pl-19818001, TransitGatewayId: tgw-1 } }
              ToListAgain: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationPrefixListId: pl-19818001, GatewayId: vgw-1 } }
              InOther: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Other, DestinationCidrBlock: 10.9.0.0/16, GatewayId: vgw-1 } }
            """);

        Assert.Equal(
            [
                ("Second", "Properties.DestinationCidrBlock", "The route identified by 10.9.0.0/16 already exists."),
                ("ToListAgain", "Properties.DestinationPrefixListId", "The route identified by pl-19818001 already exists."),
            ],
            result.Validation.Problems.Select(p => (p.Resource, p.Property, p.Message)).Order());
    }

    [Fact]
    public void Route_AtOrInsideItsVpcBlockToOtherThanAnInterface_IsProblemAtTheTargetAsEc2RefusesIt()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + """
              Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
              OwnBlock: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.1.0.0/16, VpcPeeringConnectionId: pcx-1 } }
              OwnSubnet: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.1.2.0/24, GatewayId: vgw-1 } }
              Appliance: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.1.1.0/24, NetworkInterfaceId: eni-1 } }
              Peer: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.2.0.0/16, VpcPeeringConnectionId: pcx-1 } }
              Wider: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 10.0.0.0/8, VpcPeeringConnectionId: pcx-1 } }
            """);

        const string Message = "Route target is not supported. This route only supports interface and instance targets.";
        Assert.Equal(
            [("OwnBlock", "Properties.VpcPeeringConnectionId", Message), ("OwnSubnet", "Properties.GatewayId", Message)],
            result.Validation.Problems.Select(p => (p.Resource, p.Property, p.Message)).Order());
    }

    [Fact]
    public void Route_UnknownPrefixList_IsProblemNamingResourceAndProperty()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + """
              Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
              ToList: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationPrefixListId: pl-0123456789abcdef0, TransitGatewayId: tgw-1 } }
              ToDynamo: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref Table, DestinationPrefixListId: pl-19818001, TransitGatewayId: tgw-1 } }
            """);

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "ToList");

        Assert.Equal(("Properties.DestinationPrefixListId", "The prefix list ID 'pl-0123456789abcdef0' does not exist."), (problem.Property, problem.Message));
        Assert.DoesNotContain(result.Validation.Problems, p => p.Resource == "ToDynamo");
    }

    [Fact]
    public void SecurityGroup_StandaloneRulesAndDefaultEgress()
    {
        var model = Load("""
              Web: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: web, VpcId: !Ref Vpc } }
              Db:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: db
                  VpcId: !Ref Vpc
                  SecurityGroupEgress: [{ IpProtocol: "-1", CidrIp: 10.1.0.0/16 }]
              DbFromWeb: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Db, IpProtocol: "6", FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref Web } }
            """).Model;
        var web = model.SecurityGroups.Single(g => g.LogicalId == "Web");
        Assert.Equal(SecurityGroupRule.AllowAllEgress, Assert.Single(web.Egress));
        var db = model.SecurityGroups.Single(g => g.LogicalId == "Db");
        var rule = Assert.Single(db.Ingress);
        Assert.Equal(("tcp", 5432, web.Id), (rule.Protocol, rule.FromPort, rule.ReferencedGroupId));
        Assert.Equal("10.1.0.0/16", Assert.Single(db.Egress).Cidr);
    }

    [Fact]
    public void PrivateHostedZone_WithRecordsAndAlias()
    {
        var model = Load("""
              Zone: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.internal., VPCs: [{ VPCId: !Ref Vpc, VPCRegion: eu-central-1 }] } }
              Api: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: api.corp.internal, Type: A, TTL: "60", ResourceRecords: [10.1.1.5] } }
              Group:
                Type: AWS::Route53::RecordSetGroup
                Properties:
                  HostedZoneName: corp.internal.
                  RecordSets:
                    - { Name: www.corp.internal., Type: A, AliasTarget: { DNSName: internal-lb-1.eu-central-1.elb.amazonaws.com, HostedZoneId: Z215JYRZR1TBD5 } }
            """).Model;
        var zone = Assert.Single(model.HostedZones);
        Assert.Equal(("corp.internal", true), (zone.Name, zone.IsPrivate));
        Assert.Equal(model.Vpcs.Single().Id, Assert.Single(zone.VpcIds));
        var record = zone.Records[0];
        Assert.Equal(("api.corp.internal", "A", 60u), (record.Name, record.Type, record.Ttl));
        Assert.Equal(["10.1.1.5"], record.Values.AsEnumerable());
        Assert.Equal("internal-lb-1.eu-central-1.elb.amazonaws.com", zone.Records[1].Alias!.DnsName);
        Assert.Matches("^Z[A-Z0-9]{21}$", zone.Id);
    }

    [Fact]
    public void RecordOutsideZone_IsProblem()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + """
              Zone: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.internal, VPCs: [{ VPCId: !Ref Vpc, VPCRegion: eu-central-1 }] } }
              Bad: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: api.other.com, Type: A, TTL: "60", ResourceRecords: [10.1.1.5] } }
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Bad", "Properties.Name"), (problem.Resource, problem.Property));
    }

    [Fact]
    public void LoadBalancer_TargetGroupAndListener()
    {
        var model = Load("""
              Cert: { Type: AWS::CertificateManager::Certificate, Properties: { DomainName: api.corp.internal, SubjectAlternativeNames: [www.corp.internal] } }
              Alb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: private-alb, Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] } }
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Protocol: HTTPS, Port: 443, VpcId: !Ref Vpc, TargetType: ip, Targets: [{ Id: 10.1.1.20 }, { Id: 10.1.2.20, Port: 8443 }], HealthCheckPath: /test/hello, Matcher: { HttpCode: "200,403" } }
              Https:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: !Ref Alb
                  Protocol: HTTPS
                  Port: 443
                  Certificates: [{ CertificateArn: !Ref Cert }]
                  DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Targets }]
            """).Model;
        var lb = Assert.Single(model.LoadBalancers);
        Assert.Equal((LoadBalancerType.Application, true, "private-alb"), (lb.Type, lb.Internal, lb.Name));
        Assert.Matches(@"^internal-private-alb-\d{10}\.eu-central-1\.elb\.amazonaws\.com$", lb.DnsName);
        Assert.StartsWith("arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/private-alb/", lb.Id, StringComparison.Ordinal);
        var group = Assert.Single(model.TargetGroups);
        Assert.Equal(["10.1.1.20", "10.1.2.20:8443"], group.Targets.AsEnumerable());
        Assert.Equal(("HTTPS", "/test/hello", "200,403"), (group.HealthCheck.Protocol, group.HealthCheck.Path, group.HealthCheck.Matcher));
        var listener = Assert.Single(model.Listeners);
        Assert.Equal((lb.Id, model.Certificates.Single().Id), (listener.LoadBalancerId, listener.CertificateArns.Single()));
        Assert.Equal(new WeightedTargetGroup(group.Id, 1), Assert.Single(Assert.IsType<ForwardAction>(listener.DefaultAction).TargetGroups));
    }

    [Fact]
    public void ListenerRule_ConditionsInBothShapesAndForwardAction()
    {
        var model = Load(RuleWith(
            """
                    - { Field: path-pattern, Values: [/v2/*] }
                    - { Field: host-header, HostHeaderConfig: { Values: [api.corp.internal] } }
            """,
            "[{ Type: forward, ForwardConfig: { TargetGroups: [{ TargetGroupArn: !Ref Canary }] } }]")).Model;
        var rule = Assert.Single(model.ListenerRules);
        Assert.Equal((model.Listeners.Single().Id, 10), (rule.ListenerId, rule.Priority));
        Assert.Equal(new WeightedTargetGroup(model.TargetGroups.Single(g => g.LogicalId == "Canary").Id, 1), Assert.Single(Assert.IsType<ForwardAction>(rule.Action).TargetGroups));
        Assert.Equal(["path-pattern:/v2/*", "host-header:api.corp.internal"], rule.Conditions.Select(c => c.Field + ":" + string.Join(',', c.Values)));
        Assert.Contains(":listener-rule/app/rules-alb/", rule.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenerRule_UnknownFieldAndBadPriority_AreReported()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + """
              Rule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: arn:aws:elasticloadbalancing:eu-central-1:123456789012:listener/app/x/1/2
                  Priority: 0
                  Conditions: [{ Field: cookie, Values: [a=b] }]
                  Actions: [{ Type: forward, TargetGroupArn: arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/t/1 }]
            """);
        var problems = result.Validation.Problems.Select(p => p.Property + " " + p.Message).ToList();
        Assert.Contains(problems, p => p.StartsWith("Properties.Priority ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Properties.Conditions[0].Field 'cookie' is not a condition", StringComparison.Ordinal));
    }

    [Fact]
    public void ListenerRule_HttpHeaderAndQueryStringConditions_KeepNameAndPairs()
    {
        var model = Load(RuleWith("""
                    - { Field: http-header, HttpHeaderConfig: { HttpHeaderName: X-Channel, Values: [beta*, canary] } }
                    - Field: query-string
                      QueryStringConfig: { Values: [{ Key: version, Value: "v1*" }, { Value: beta }] }
            """)).Model;

        var rule = Assert.Single(model.ListenerRules);
        Assert.Equal(["http-header", "query-string"], rule.Conditions.Select(c => c.Field));
        Assert.Equal("X-Channel", rule.Conditions[0].HttpHeaderName);
        Assert.Equal(["beta*", "canary"], rule.Conditions[0].Values.AsEnumerable());
        Assert.Equal([new QueryStringPair("version", "v1*"), new QueryStringPair(null, "beta")], rule.Conditions[1].QueryStrings.AsEnumerable());
    }

    [Theory]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { Values: [x] } }", "Conditions[0].HttpHeaderConfig.HttpHeaderName", "is required")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: Host, Values: [a.example] } }", "Conditions[0].HttpHeaderConfig.HttpHeaderName", "use a host-header condition")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: X-Forty-One-Characters-Long-Header-Name-1, Values: [x] } }", "Conditions[0].HttpHeaderConfig.HttpHeaderName", "longer than 40")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: \"X Channel\", Values: [x] } }", "Conditions[0].HttpHeaderConfig.HttpHeaderName", "not an HTTP header name")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: X-Channel } }", "Conditions[0].HttpHeaderConfig.Values", "no values")]
    [InlineData("{ Field: http-header, Values: [x], HttpHeaderConfig: { HttpHeaderName: X-Channel, Values: [x] } }", "Conditions[0].Values", "host-header and path-pattern")]
    [InlineData("{ Field: query-string, QueryStringConfig: { Values: [{ Key: version }] } }", "Conditions[0].QueryStringConfig.Values[0].Value", "is required")]
    [InlineData("{ Field: query-string, QueryStringConfig: { Values: [] } }", "Conditions[0].QueryStringConfig.Values", "no key/value pairs")]
    [InlineData("{ Field: host-header, HostHeaderConfig: { Values: [a.example], RegexValues: ['a\\.example'] } }", "Conditions[0].HostHeaderConfig.RegexValues", "both Values and RegexValues")]
    [InlineData("{ Field: host-header, Values: [a.example], HostHeaderConfig: { RegexValues: ['a\\.example'] } }", "Conditions[0].HostHeaderConfig.RegexValues", "both Values and RegexValues")]
    [InlineData("{ Field: path-pattern, PathPatternConfig: { RegexValues: ['/ok', '/(broken'] } }", "Conditions[0].PathPatternConfig.RegexValues[1]", "'/(broken' is not a regular expression")]
    [InlineData("{ Field: path-pattern, PathPatternConfig: { RegexValues: ['(?!/admin)/.*'] } }", "Conditions[0].PathPatternConfig.RegexValues[0]", "lookaround")]
    [InlineData("{ Field: http-header, HttpHeaderConfig: { HttpHeaderName: X-Lang, RegexValues: ['\\p{L}+'] } }", "Conditions[0].HttpHeaderConfig.RegexValues[0]", "Unicode character class")]
    [InlineData("{ Field: path-pattern, RegexValues: ['/x'], PathPatternConfig: { Values: [/x] } }", "Conditions[0].PathPatternConfig.RegexValues", "both Values and RegexValues")]
    [InlineData("{ Field: source-ip, RegexValues: ['10\\..*'], SourceIpConfig: { Values: [10.0.0.0/8] } }", "Conditions[0].RegexValues", "not source-ip")]
    [InlineData("{ Field: host-header, HostHeaderConfig: { RegexValues: [] } }", "Conditions[0]", "no values")]
    [InlineData("{ Field: path-pattern, PathPatternConfig: { Values: [/ok, /a%20b] } }", "Conditions[0].PathPatternConfig.Values[1]", "Condition value '/a%20b' contains a character that is not valid")]
    [InlineData("{ Field: path-pattern, Values: [/a%20b] }", "Conditions[0].Values[0]", "Condition value '/a%20b' contains a character that is not valid")]
    [InlineData("{ Field: path-pattern, Values: [/ok], PathPatternConfig: { Values: [/a%20b] } }", "Conditions[0]", "You cannot provide both Values and 'PathPatternConfig' for a condition of type 'path-pattern'")]
    [InlineData("{ Field: host-header, Values: [a.example], HostHeaderConfig: { Values: [b.example] } }", "Conditions[0]", "You cannot provide both Values and 'HostHeaderConfig' for a condition of type 'host-header'")]
    [InlineData("{ Field: host-header, Values: [a_b.example] }", "Conditions[0].Values[0]", "Condition value for field 'host-header' must be a valid hostname")]
    [InlineData("{ Field: path-pattern, PathPatternConfig: { Values: [/a, /b, /a] } }", "Conditions[0].PathPatternConfig.Values[2]", "Condition values must be unique")]
    [InlineData("{ Field: http-request-method, HttpRequestMethodConfig: { Values: [GET, post] } }", "Conditions[0].HttpRequestMethodConfig.Values[1]", "'post' is not a request method")]
    [InlineData("{ Field: source-ip, SourceIpConfig: { Values: [10.0.0.0/8, 192.168.1.7] } }", "Conditions[0].SourceIpConfig.Values[1]", "'192.168.1.7' is not a CIDR block")]
    [InlineData("{ Field: host-header, HostHeaderConfig: { Values: [a.example, 'api.example.com:8443'] } }", "Conditions[0].HostHeaderConfig.Values[1]", "Condition value for field 'host-header' must be a valid hostname")]
    public void ListenerRule_BadHeaderQueryOrRegexCondition_IsReportedAtItsProperty(string condition, string property, string message)
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + RuleWith("        - " + condition));

        AssertOneProblem(result, "Rule", property, message);
    }

    [Fact]
    public void ListenerRule_RegexValues_KeptForHostPathAndHeader()
    {
        var model = Load(RuleWith("""
                    - { Field: host-header, HostHeaderConfig: { RegexValues: ['api\.example\.com(:[0-9]+)?'] } }
                    - { Field: path-pattern, RegexValues: ['/v[0-9]+/.*'], PathPatternConfig: { RegexValues: ['/health'] } }
                    - { Field: http-header, HttpHeaderConfig: { HttpHeaderName: User-Agent, RegexValues: ['curl/.*'] } }
            """)).Model;

        var conditions = Assert.Single(model.ListenerRules).Conditions;
        Assert.Equal([@"api\.example\.com(:[0-9]+)?"], conditions[0].RegexValues.AsEnumerable());
        Assert.Equal(["/v[0-9]+/.*", "/health"], conditions[1].RegexValues.AsEnumerable());
        Assert.Equal(["curl/.*"], conditions[2].RegexValues.AsEnumerable());
        Assert.All(conditions, c => Assert.Empty(c.Values));
    }

    [Fact]
    public void ListenerRule_QueryValueLongerThan128_IsReported()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + RuleWith($"        - {{ Field: query-string, QueryStringConfig: {{ Values: [{{ Value: {new string('v', 129)} }}] }} }}"));

        AssertOneProblem(result, "Rule", "Conditions[0].QueryStringConfig.Values[0].Value", "is longer than 128 characters.");
    }

    [Fact]
    public void ListenerRule_WeightedForwardConfig_KeepsEveryGroupWithItsWeight()
    {
        var model = Load(RuleWith(
            "        - { Field: path-pattern, Values: [/*] }",
            "[{ Type: forward, ForwardConfig: { TargetGroups: [{ TargetGroupArn: !Ref Default, Weight: 90 }, { TargetGroupArn: !Ref Canary, Weight: 0 }, { TargetGroupArn: !Ref Default }] } }]")).Model;

        var forward = Assert.IsType<ForwardAction>(Assert.Single(model.ListenerRules).Action);
        var (standard, canary) = (model.TargetGroups.Single(g => g.LogicalId == "Default").Id, model.TargetGroups.Single(g => g.LogicalId == "Canary").Id);
        Assert.Equal([new(standard, 90), new(canary, 0), new(standard, 1)], forward.TargetGroups.AsEnumerable());
    }

    [Fact]
    public void ListenerRule_TargetGroupStickiness_KeepsItsDurationWhenEnabled()
    {
        var model = Load(RuleWith(
            "        - { Field: path-pattern, Values: [/*] }",
            "[{ Type: forward, ForwardConfig: { TargetGroups: [{ TargetGroupArn: !Ref Default }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 } } }]")).Model;
        var off = Load(RuleWith(
            "        - { Field: path-pattern, Values: [/*] }",
            "[{ Type: forward, ForwardConfig: { TargetGroups: [{ TargetGroupArn: !Ref Default }], TargetGroupStickinessConfig: { Enabled: false, DurationSeconds: 3600 } } }]")).Model;

        Assert.Equal(3600, Assert.IsType<ForwardAction>(Assert.Single(model.ListenerRules).Action).StickinessSeconds);
        Assert.Null(Assert.IsType<ForwardAction>(Assert.Single(off.ListenerRules).Action).StickinessSeconds);
    }

    [Theory]
    [InlineData("{ TargetGroupArn: !Ref Default, Weight: 1000 }", "Actions[0].ForwardConfig.TargetGroups[0].Weight", "'1000' is not a weight (0 to 999)")]
    [InlineData("{ TargetGroupArn: !Ref Canary, Weight: -1 }", "Actions[0].ForwardConfig.TargetGroups[0].Weight", "'-1' is not a weight")]
    [InlineData("{ TargetGroupArn: !Ref Canary, Weight: half }", "Actions[0].ForwardConfig.TargetGroups[0].Weight", "is not an integer")]
    [InlineData("{ Weight: 1 }", "Actions[0].ForwardConfig.TargetGroups[0].TargetGroupArn", "is required")]
    [InlineData("{ TargetGroupArn: !Ref Default }, { TargetGroupArn: !Ref Canary }, { TargetGroupArn: !Ref Default }, { TargetGroupArn: !Ref Canary }, { TargetGroupArn: !Ref Default }, { TargetGroupArn: !Ref Canary }", "Actions[0].ForwardConfig.TargetGroups", "has 6 target groups; a forward action takes at most 5")]
    public void ListenerRule_BadWeightedForward_IsReportedAtItsProperty(string groups, string property, string message)
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + RuleWith("        - { Field: path-pattern, Values: [/*] }", $"[{{ Type: forward, ForwardConfig: {{ TargetGroups: [{groups}] }} }}]"));

        AssertOneProblem(result, "Rule", property, message);
    }

    [Theory]
    [InlineData("{ Enabled: true }", "is required when target group stickiness is enabled")]
    [InlineData("{ Enabled: true, DurationSeconds: 604801 }", "'604801' is not a stickiness duration (1 to 604800 seconds)")]
    [InlineData("{ Enabled: true, DurationSeconds: a-day }", "is not an integer")]
    public void ListenerRule_BadStickiness_IsReportedAtItsDuration(string stickiness, string message)
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + RuleWith(
            "        - { Field: path-pattern, Values: [/*] }",
            $"[{{ Type: forward, ForwardConfig: {{ TargetGroups: [{{ TargetGroupArn: !Ref Default }}], TargetGroupStickinessConfig: {stickiness} }} }}]"));

        AssertOneProblem(result, "Rule", "Actions[0].ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", message);
    }

    [Fact]
    public void ListenerRule_SixPathPatterns_IsRefusedAsElbDoes()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + RuleWith(
            "        - { Field: path-pattern, PathPatternConfig: { Values: [/a, /b, /c, /d, /e, /f] } }",
            "[{ Type: forward, TargetGroupArn: !Ref Default }]"));

        AssertOneProblem(result, "Rule", "Conditions", "A rule can only have '5' condition values");
    }

    [Fact]
    public void ListenerRule_TargetGroupArnWithAnotherForwardConfigGroup_IsReported()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + RuleWith(
            "        - { Field: path-pattern, Values: [/*] }",
            "[{ Type: forward, TargetGroupArn: !Ref Default, ForwardConfig: { TargetGroups: [{ TargetGroupArn: !Ref Canary }] } }]"));

        AssertOneProblem(result, "Rule", "Actions[0].ForwardConfig.TargetGroups", "only that same target group");
    }

    [Fact]
    public void Listener_RedirectDefaultAndFixedResponseRule_BecomeTheLoadBalancersOwnAnswers()
    {
        var model = Load("""
              Alb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: answers-alb, Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] } }
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: !Ref Alb
                  Protocol: HTTP
                  Port: 80
                  DefaultActions: [{ Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 } }]
              Maintenance:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !Ref Http
                  Priority: 5
                  Conditions: [{ Field: path-pattern, Values: [/maintenance] }]
                  Actions: [{ Type: fixed-response, Order: 1, FixedResponseConfig: { StatusCode: "503", ContentType: text/plain, MessageBody: down } }]
            """).Model;

        var listener = Assert.Single(model.Listeners);
        Assert.Equal(new RedirectAction("HTTPS", "#{host}", "443", "/#{path}", "#{query}", 301), listener.DefaultAction);
        Assert.Equal(new FixedResponseAction(503, "text/plain", "down"), Assert.Single(model.ListenerRules).Action);
    }

    [Theory]
    [InlineData("{ Type: fixed-response, FixedResponseConfig: { StatusCode: \"302\" } }", "DefaultActions[0].FixedResponseConfig.StatusCode", "2XX, 4XX or 5XX")]
    [InlineData("{ Type: fixed-response, FixedResponseConfig: { StatusCode: \"200\", ContentType: text/xml } }", "DefaultActions[0].FixedResponseConfig.ContentType", "is not one of")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_301 } }", "DefaultActions[0].RedirectConfig", "redirect loop")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_307, Protocol: HTTPS } }", "DefaultActions[0].RedirectConfig.StatusCode", "HTTP_301 or HTTP_302")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_302, Path: new } }", "DefaultActions[0].RedirectConfig.Path", "should start with a '/'")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_302, Path: \"/x/#{query}\" } }", "DefaultActions[0].RedirectConfig.Path", "The Path parameter must be a valid path, should start with a '/', and may contain up to one of each of these placeholders: '#{path}', '#{host}', '#{port}'.")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_302, Host: \"#{path}.example\" } }", "DefaultActions[0].RedirectConfig.Host", "'#{path}'")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_302, Protocol: HTTPS, Query: \"q=#{query}&#{protocol}&#{host}&#{port}&#{path}&" + Long129 + "\" } }", "DefaultActions[0].RedirectConfig.Query", "longer than 128")]
    [InlineData("{ Type: redirect, RedirectConfig: { StatusCode: HTTP_302, Port: \"#{host}\" } }", "DefaultActions[0].RedirectConfig.Port", "is not a port")]
    [InlineData("{ Type: authenticate-oidc, AuthenticateOidcConfig: {} }", "DefaultActions", "forward, fixed-response or redirect")]
    [InlineData("{ Type: redirect, RedirectConfig: { Protocol: HTTP, Port: \"80\", StatusCode: HTTP_302 } }", "DefaultActions[0].RedirectConfig.Protocol", "cannot redirect to HTTP", "HTTPS")]
    public void Listener_BadAction_IsReportedAtItsProperty(string action, string property, string message, string protocol = "HTTP")
    {
        var certificates = protocol == "HTTPS" ? "Certificates: [{ CertificateArn: !Ref Cert }], " : string.Empty;
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + $$"""
              Cert: { Type: AWS::CertificateManager::Certificate, Properties: { DomainName: api.corp.internal } }
              Alb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: bad-alb, Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] } }
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { LoadBalancerArn: !Ref Alb, Protocol: {{protocol}}, Port: 80, {{certificates}}DefaultActions: [{{action}}] }
            """);

        AssertOneProblem(result, "Http", property, message);
    }

    [Fact]
    public void Instance_ProfileImageAndType_GiveWhatTheMetadataServiceReports()
    {
        var model = Load(RoleProfileAndInstance + """
              ByName: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref SubnetA, IamInstanceProfile: made-elsewhere, ImageId: ami-0abc, InstanceType: t3.micro } }
              Without: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref SubnetA } }
            """).Model;

        Assert.Equal(["ByName:made-elsewhere", "WithProfile:app-role", "Without:"], model.Instances.Select(i => $"{i.LogicalId}:{i.InstanceProfileRole}").Order(StringComparer.Ordinal));
        Assert.Equal(["ByName:ami-0abc:t3.micro", "WithProfile::m1.small", "Without::m1.small"], model.Instances.Select(i => $"{i.LogicalId}:{i.ImageId}:{i.InstanceType}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Instance_ProfileNamedApartFromItsRole_ArnNamesTheProfileWithItsPath()
    {
        // Before, the metadata service's iam/info named the profile after its role: instance-profile/app-role.
        var model = Load(RoleProfileAndInstance.Replace("Properties: { Roles: [!Ref Role] }", "Properties: { InstanceProfileName: web, Path: /app/, Roles: [!Ref Role] }", StringComparison.Ordinal) + """
              ByArn: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref SubnetA, IamInstanceProfile: "arn:aws:iam::123456789012:instance-profile/ops/made-elsewhere" } }
              ByName: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref SubnetA, IamInstanceProfile: made-elsewhere } }
            """).Model;

        Assert.Equal(
            ["ByArn:made-elsewhere:arn:aws:iam::123456789012:instance-profile/ops/made-elsewhere", "ByName:made-elsewhere:", $"WithProfile:app-role:arn:aws:iam::{model.Account.AccountId}:instance-profile/app/web"],
            model.Instances.Select(i => $"{i.LogicalId}:{i.InstanceProfileRole}:{i.InstanceProfileArn}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Instance_ProfileRoleOutsideTheTemplates_WarnsAtTheProfile()
    {
        var result = Load(RoleProfileAndInstance + """
              ByName: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref SubnetA, IamInstanceProfile: made-elsewhere } }
            """);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("ByName", "Properties.IamInstanceProfile"), (warning.Resource, warning.Property));
        Assert.Contains("'made-elsewhere' is not a role of these templates", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_PrivateApiWithoutResourcePolicy_WarnsAtTheDeployment()
    {
        var result = Load("""
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: a, EndpointConfiguration: { Types: [PRIVATE] } } }
              Get: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK } } }
              Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api, StageName: dev } }
            """);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Deployment", "Properties.RestApiId"), (warning.Resource, warning.Property));
        Assert.Contains("Private REST API doesn't have a resource policy attached to it", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkAcl_EntriesAndAssociations()
    {
        var model = Load("""
              Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
              AllowIn: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: "6", RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: { From: 443, To: 443 } } }
              DenyOut: { Type: AWS::EC2::NetworkAclEntry, Properties: { NetworkAclId: !Ref Acl, RuleNumber: 50, Protocol: "-1", RuleAction: deny, Egress: true, CidrBlock: 10.9.0.0/16 } }
              Assoc: { Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: { NetworkAclId: !Ref Acl, SubnetId: !Ref SubnetA } }
            """).Model;
        var acl = Assert.Single(model.NetworkAcls);
        Assert.Equal([50, 100], acl.Entries.Select(e => e.RuleNumber));
        Assert.Equal(new NetworkAclEntry(100, "6", true, false, "0.0.0.0/0", 443, 443), acl.Entries[1]);
        Assert.Equal(model.Subnets.Single(s => s.LogicalId == "SubnetA").Id, Assert.Single(acl.SubnetIds));
    }

    [Fact]
    public void Resolver_QueryLoggingConfigWithAssociation()
    {
        var model = Load("""
              Logs: { Type: AWS::Route53Resolver::ResolverQueryLoggingConfig, Properties: { Name: q, DestinationArn: arn:aws:logs:eu-central-1:123456789012:log-group:dns } }
              LogsVpc: { Type: AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation, Properties: { ResolverQueryLogConfigId: !Ref Logs, ResourceId: !Ref Vpc } }
            """).Model;
        var config = Assert.Single(model.QueryLogConfigs);
        Assert.StartsWith("rslvr-qlc-", config.Id, StringComparison.Ordinal);
        Assert.Equal(model.Vpcs.Single().Id, Assert.Single(config.VpcIds));
    }

    [Fact]
    public void Function_CodeKinds_AreDetected()
    {
        var dotnet = Directory.CreateTempSubdirectory("cloister-code-");
        try
        {
            File.WriteAllText(Path.Combine(dotnet.FullName, "Fn.csproj"), "<Project />");
            File.WriteAllText(Path.Combine(dotnet.FullName, "code.zip"), "PK");
            var template = Path.Combine(dotnet.FullName, "template.yaml");
            var result = TemplateLoader.Load(
                [new TemplateFile(template)
                {
                    Text = """
                        Resources:
                          Net: { Type: AWS::Lambda::Function, Properties: { Runtime: provided.al2023, Handler: bootstrap, Code: ., Role: arn:aws:iam::123456789012:role/r } }
                          Zip: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: a.b, Code: ./code.zip, Role: arn:aws:iam::123456789012:role/r } }
                          Missing: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: a.b, Code: ./nowhere, Role: r } }
                          Old: { Type: AWS::Lambda::Function, Properties: { Runtime: python2.7, Handler: a.b, Code: { ZipFile: x }, Role: r } }
                        """,
                }],
                TestTemplates.Options());
            var problems = result.Validation.Problems;
            Assert.Equal(2, problems.Length);
            Assert.Contains(problems, p => p.Resource == "Missing" && p.Property == "Properties.Code" && p.Message.Contains("does not exist", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Resource == "Old" && p.Property == "Properties.Runtime");
        }
        finally
        {
            dotnet.Delete(recursive: true);
        }
    }

    [Fact]
    public void Table_KeysMustBeDefined()
    {
        var result = TestTemplates.Load("""
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: [{ AttributeName: PK, AttributeType: S }, { AttributeName: Extra, AttributeType: S }]
                  KeySchema: [{ AttributeName: PK, KeyType: HASH }, { AttributeName: SK, KeyType: RANGE }]
            """);
        Assert.Equal(2, result.Validation.Problems.Length);
        Assert.All(result.Validation.Problems, p => Assert.Equal(("T", "Properties.AttributeDefinitions"), (p.Resource, p.Property)));
    }

    [Fact]
    public void InterfaceEndpoint_PrivateDnsWithoutDnsHostnames_IsProblem()
    {
        var result = TestTemplates.Load("Resources:\n" + Network + "\n" + """
              Endpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.execute-api, VpcEndpointType: Interface, PrivateDnsEnabled: true, SubnetIds: [!Ref SubnetA] }
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Endpoint", "Properties.PrivateDnsEnabled"), (problem.Resource, problem.Property));
        Assert.Contains("EnableDnsHostnames", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instances_SubnetsOfOneCidrInTwoUnpeeredVpcs_AutomaticAddressesDrawnApart()
    {
        var model = TestTemplates.LoadValid("""
            Resources:
              VpcA: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcA, CidrBlock: 10.0.1.0/24 } }
              VpcB: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcB, CidrBlock: 10.0.1.0/24 } }
              Written: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetB, PrivateIpAddress: 10.0.1.252 } }
              InA: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetA } }
              InB: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetB } }
              InA2: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetA } }
            """).Model;

        string AddressOf(string logicalId) => model.Instances.Single(i => i.LogicalId == logicalId).PrivateIpAddress!;

        Assert.Equal(
            ["10.0.1.252", "10.0.1.254", "10.0.1.253", "10.0.1.251"],
            new[] { "Written", "InA", "InB", "InA2" }.Select(AddressOf));
    }

    [Fact]
    public void InterfaceEndpoint_WithoutGroups_UsesVpcDefaultGroupAndAddressesFromTop()
    {
        var model = Load("""
              Endpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.sts, VpcEndpointType: Interface, SubnetIds: [!Ref SubnetA, !Ref SubnetB] }
            """).Model;
        var endpoint = Assert.Single(model.VpcEndpoints);
        Assert.False(endpoint.PrivateDnsEnabled);
        Assert.Equal(model.SecurityGroups.Single(g => g.Name == "default").Id, Assert.Single(endpoint.SecurityGroupIds));
        Assert.Equal(["10.1.1.254", "10.1.2.254"], endpoint.NetworkInterfaces.Select(n => n.PrivateIpAddress));
        Assert.All(endpoint.NetworkInterfaces, n => Assert.StartsWith("eni-", n.Id, StringComparison.Ordinal));
    }

    /// <summary>A redirect query one character longer than ELB takes.</summary>
    private const string Long129 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    /// <summary>The resource has exactly one problem, at <c>Properties.</c><paramref name="property"/>, saying <paramref name="message"/>.</summary>
    private static void AssertOneProblem(TemplateLoadResult result, string resource, string property, string message)
    {
        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == resource);
        Assert.Equal("Properties." + property, problem.Property);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An ALB with an HTTP listener, target groups Default and Canary, and one rule with these conditions (YAML list
    /// items, indented eight spaces) and actions (a YAML flow list).
    /// </summary>
    private static string RuleWith(string conditions, string actions = "[{ Type: forward, TargetGroupArn: !Ref Default }]") => $$"""
              Alb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: rules-alb, Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] } }
              Default: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Protocol: HTTP, Port: 80, VpcId: !Ref Vpc } }
              Canary: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Protocol: HTTP, Port: 8080, VpcId: !Ref Vpc } }
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { LoadBalancerArn: !Ref Alb, Protocol: HTTP, Port: 80, DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Default }] }
              Rule:
                Type: AWS::ElasticLoadBalancingV2::ListenerRule
                Properties:
                  ListenerArn: !Ref Http
                  Priority: 10
                  Actions: {{actions}}
                  Conditions:
            {{conditions}}
            """;
}
