using Cloister.Model.Dns;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// Route 53 routing policies on <c>AWS::Route53::RecordSet</c> and <c>RecordSetGroup</c>: SetIdentifier, Weight, Failover,
/// Region, GeoLocation, MultiValueAnswer and HealthCheckId read into the model; the change batches Route 53 refuses
/// refused at the property, in Route 53's words.
/// </summary>
public sealed class RecordRoutingMappingTests
{
    /// <summary>A VPC and the private zone corp.internal associated with it, for record sets to be written in.</summary>
    internal const string VpcAndZone = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          Zone: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.internal, VPCs: [{ VPCId: !Ref Vpc, VPCRegion: eu-central-1 }] } }

        """;

    private const string Zone = VpcAndZone + """
          Records:
            Type: AWS::Route53::RecordSetGroup
            Properties:
              HostedZoneId: !Ref Zone
              RecordSets:

        """;

    private static string WithRecords(params string[] records) => Zone + string.Concat(records.Select(r => "        - " + r + "\n"));

    [Fact]
    public void Load_RecordSetsOfEveryPolicy_RoutingInTheModel()
    {
        var model = TestTemplates.LoadValid(WithRecords(
            "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue, Weight: 0 }",
            "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: green, Weight: 255 }",
            "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.3], SetIdentifier: one, Failover: PRIMARY, HealthCheckId: 0a1b2c3d-0000-0000-0000-000000000001 }",
            "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.4], SetIdentifier: two, Failover: SECONDARY }",
            "{ Name: l.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.5], SetIdentifier: here, Region: eu-central-1 }",
            "{ Name: l.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.6], SetIdentifier: there, Region: us-east-1 }",
            "{ Name: g.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.7], SetIdentifier: europe, GeoLocation: { ContinentCode: EU } }",
            "{ Name: g.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.8], SetIdentifier: virginia, GeoLocation: { CountryCode: US, SubdivisionCode: VA } }",
            "{ Name: g.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.9], SetIdentifier: rest, GeoLocation: { CountryCode: '*' } }",
            "{ Name: m.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.10], SetIdentifier: m1, MultiValueAnswer: true }",
            "{ Name: a.corp.internal, Type: A, SetIdentifier: lb, Weight: 1, AliasTarget: { DNSName: internal-lb-1.eu-central-1.elb.amazonaws.com, HostedZoneId: Z215JYRZR1TBD5, EvaluateTargetHealth: true } }")).Model;

        var records = Assert.Single(model.HostedZones).Records.ToDictionary(r => r.Routing!.SetIdentifier);
        Assert.Equal((RoutingPolicy.Weighted, 0), (records["blue"].Routing!.Policy, records["blue"].Routing!.Weight));
        Assert.Equal(255, records["green"].Routing!.Weight);
        Assert.Equal((RoutingPolicy.Failover, true, "0a1b2c3d-0000-0000-0000-000000000001"), (records["one"].Routing!.Policy, records["one"].Routing!.Primary, records["one"].Routing!.HealthCheckId));
        Assert.False(records["two"].Routing!.Primary);
        Assert.Equal((RoutingPolicy.Latency, "us-east-1"), (records["there"].Routing!.Policy, records["there"].Routing!.Region));
        Assert.Equal(new GeoLocation("EU", null, null), records["europe"].Routing!.Location);
        Assert.Equal(new GeoLocation(null, "US", "VA"), records["virginia"].Routing!.Location);
        Assert.True(records["rest"].Routing!.Location!.IsDefault);
        Assert.Equal(RoutingPolicy.MultiValueAnswer, records["m1"].Routing!.Policy);
        Assert.True(records["lb"].Alias!.EvaluateTargetHealth);
        Assert.Equal(1, records["lb"].Routing!.Weight);
    }

    [Theory]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], Weight: 10 }",
        null,
        "RecordSets[0].Weight",
        "Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=w.corp.internal., Type=A, SetIdentifier=null]")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue }",
        null,
        "RecordSets[0].SetIdentifier",
        "Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, or MultiValueAnswer], but found none in Change with [Action=CREATE, Name=w.corp.internal., Type=A, SetIdentifier=blue]")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue, Weight: 1, Failover: PRIMARY }",
        null,
        "RecordSets[0].Failover",
        "but found more than one in Change with [Action=CREATE, Name=w.corp.internal., Type=A, SetIdentifier=blue]")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue, Weight: 256 }",
        null,
        "RecordSets[0].Weight",
        "the weight 256 of SetIdentifier blue is not between 0 and 255")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1] }",
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: blue, Weight: 1 }",
        "RecordSets[1].Weight",
        "RRSet with DNS name w.corp.internal. and type A cannot be created as a non-weighted set exists with the same name and type.")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: blue, Weight: 1 }",
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1] }",
        "RecordSets[1].Name",
        "RRSet with DNS name w.corp.internal. and type A cannot be created as a weighted set exists with the same name and type.")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue, Weight: 1 }",
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: blue, Weight: 2 }",
        "RecordSets[1].SetIdentifier",
        "Tried to create resource record set [name='w.corp.internal.', type='A', set-identifier='blue'] but it already exists")]
    [InlineData(
        "{ Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue, Weight: 1 }",
        "{ Name: w.corp.internal, Type: A, TTL: '300', ResourceRecords: [10.1.1.2], SetIdentifier: green, Weight: 2 }",
        "RecordSets[1].TTL",
        "RRSet with DNS name w.corp.internal. and type A, SetIdentifier green cannot be created as weighted sets must contain the same TTL.")]
    [InlineData(
        "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, Failover: PRIMARY }",
        "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: two, Failover: PRIMARY }",
        "RecordSets[1].Failover",
        "SetIdentifier two marked as primary cannot be created because another RRSet with the same name and type is already marked as primary")]
    [InlineData(
        "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, Weight: 1 }",
        "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: two, Failover: SECONDARY }",
        "RecordSets[1].Failover",
        "marked as secondary cannot be created because a non-failover RRSet with the same name and type already exists")]
    [InlineData(
        "{ Name: l.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, Region: eu-central-1 }",
        "{ Name: l.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: two, Region: eu-central-1 }",
        "RecordSets[1].Region",
        "RRSet with DNS name l.corp.internal., type A, SetIdentifier two, and Region Name=eu-central-1 cannot be created because a latency RRSet with the same name, type and region already exists.")]
    [InlineData(
        "{ Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, Failover: FIRST }",
        null,
        "RecordSets[0].Failover",
        "'FIRST' is not PRIMARY or SECONDARY.")]
    [InlineData(
        "{ Name: m.corp.internal, Type: A, SetIdentifier: one, MultiValueAnswer: true, AliasTarget: { DNSName: internal-lb-1.eu-central-1.elb.amazonaws.com, HostedZoneId: Z215JYRZR1TBD5 } }",
        null,
        "RecordSets[0].AliasTarget",
        "Creating multivalue answer alias records is not supported")]
    [InlineData(
        "{ Name: s.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], HealthCheckId: 0a1b2c3d-0000-0000-0000-000000000001 }",
        null,
        "RecordSets[0].HealthCheckId",
        "Route 53 health checks can be associated only with failover, multivalue answer, weighted, latency, geolocation and geoproximity records")]
    [InlineData(
        "{ Name: g.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, GeoProximityLocation: { AWSRegion: eu-central-1 } }",
        null,
        "RecordSets[0].GeoProximityLocation",
        "Geoproximity routing is not served by Cloister")]
    [InlineData(
        "{ Name: g.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, GeoLocation: { ContinentCode: EU, CountryCode: DE } }",
        null,
        "RecordSets[0].GeoLocation",
        "either a ContinentCode or a CountryCode")]
    public void Load_ChangeBatchRoute53Refuses_OneProblemAtThePropertyInRoute53sWords(string first, string? second, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(second is null ? WithRecords(first) : WithRecords(first, second));

        Assert.Equal(("Records", "Properties." + property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoRecordSetResourcesOfOneWeightedName_BothInTheModel()
    {
        // Two AWS::Route53::RecordSet resources of one name (the CDK writes weighted records so) are two record sets.
        var model = TestTemplates.LoadValid(VpcAndZone + """
              Blue: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: blue, Weight: 1 } }
              Green: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: w.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.2], SetIdentifier: green, Weight: 3 } }

            """).Model;

        Assert.Equal(["blue", "green"], Assert.Single(model.HostedZones).Records.Select(r => r.Routing!.SetIdentifier).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_FailoverRecordWithHealthCheckOfTheTemplate_LoadsWithTheCheckId()
    {
        var result = TestTemplates.LoadValid(VpcAndZone + """
              Check: { Type: AWS::Route53::HealthCheck, Properties: { HealthCheckConfig: { Type: CLOUDWATCH_METRIC, AlarmIdentifier: { Name: app, Region: eu-central-1 }, InsufficientDataHealthStatus: Healthy } } }
              Primary: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: f.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1], SetIdentifier: one, Failover: PRIMARY, HealthCheckId: !GetAtt Check.HealthCheckId } }

            """);

        var check = Assert.Single(result.Stacks).Resources.Single(r => r.LogicalResourceId == "Check");
        Assert.False(check.Modelled);
        var record = Assert.Single(Assert.Single(result.Model.HostedZones).Records);
        Assert.Equal(check.PhysicalResourceId, record.Routing!.HealthCheckId);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-", record.Routing.HealthCheckId);
    }
}
