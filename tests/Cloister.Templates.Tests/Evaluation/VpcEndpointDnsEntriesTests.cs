using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Evaluation;

/// <summary>
/// <c>Fn::GetAtt Endpoint.DnsEntries</c> of an interface endpoint as CloudFormation returns it: <c>zone:name</c>
/// entries, the regional public name, one per zone, then with private DNS the service's regional name in the
/// endpoint's private hosted zone.
/// </summary>
public sealed class VpcEndpointDnsEntriesTests
{
    private static string Template(string service, bool privateDns) => $$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
          SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24, AvailabilityZone: eu-central-1b } }
          Endpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.{{service}}, VpcEndpointType: Interface, SubnetIds: [!Ref SubnetA, !Ref SubnetB], PrivateDnsEnabled: {{(privateDns ? "true" : "false")}} }
        Outputs:
          Entries: { Value: !Join [",", !GetAtt Endpoint.DnsEntries] }
        """;

    private static (string Id, string[] Entries) Load(string service, bool privateDns)
    {
        var result = TestTemplates.LoadValid(Template(service, privateDns));
        var id = result.Model.VpcEndpoints.Single().Id;
        return (id, result.Stacks.Single().Outputs.Single().OutputValue!.Split(','));
    }

    [Fact]
    public void GetAttDnsEntries_DynamoDbWithPrivateDns_PublicNamesThenTheRegionalNameInThePrivateZone()
    {
        var (id, entries) = Load("dynamodb", privateDns: true);
        var name = $"{id}-{VpcEndpointDnsSuffix.Of(id)}";

        Assert.Equal(4, entries.Length);
        Assert.EndsWith($":{name}.dynamodb.eu-central-1.vpce.amazonaws.com", entries[0], StringComparison.Ordinal);
        Assert.EndsWith($":{name}-eu-central-1a.dynamodb.eu-central-1.vpce.amazonaws.com", entries[1], StringComparison.Ordinal);
        Assert.EndsWith($":{name}-eu-central-1b.dynamodb.eu-central-1.vpce.amazonaws.com", entries[2], StringComparison.Ordinal);
        Assert.Equal($"{VpcEndpointDnsSuffix.PrivateZoneId(id)}:dynamodb.eu-central-1.amazonaws.com", entries[3]);
        Assert.NotEqual(entries[0].Split(':')[0], entries[3].Split(':')[0]);
    }

    [Fact]
    public void GetAttDnsEntries_WithoutPrivateDns_PublicNamesOnly()
    {
        var (_, entries) = Load("dynamodb", privateDns: false);

        Assert.Equal(3, entries.Length);
        Assert.All(entries, e => Assert.Contains(".vpce.amazonaws.com", e, StringComparison.Ordinal));
    }

    [Fact]
    public void GetAttDnsEntries_ExecuteApiWithPrivateDns_RegionalNameThenItsWildcard()
    {
        var (id, entries) = Load("execute-api", privateDns: true);

        Assert.Equal(
            [$"{VpcEndpointDnsSuffix.PrivateZoneId(id)}:execute-api.eu-central-1.amazonaws.com", $"{VpcEndpointDnsSuffix.PrivateZoneId(id)}:*.execute-api.eu-central-1.amazonaws.com"],
            entries[3..]);
    }
}
