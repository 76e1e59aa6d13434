using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// An endpoint's <c>DnsOptions</c> as CloudFormation writes them (<c>PrivateDnsOnlyForInboundResolverEndpoint</c> is the
/// string enum OnlyInboundResolver | AllResolvers | NotSpecified, not EC2's boolean): read into the model, and refused
/// where CloudFormation or EC2 refuses them, naming the resource and property.
/// </summary>
public sealed class EndpointDnsOptionsTests
{
    private const string Network = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
          Table: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }

        """;

    private const string GatewayEndpoint = """
          Gateway: { Type: AWS::EC2::VPCEndpoint, Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.dynamodb, RouteTableIds: [!Ref Table] } }

        """;

    private static string Interface(string service, string extra) => $$"""
          Endpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.{{service}}, VpcEndpointType: Interface, SubnetIds: [!Ref SubnetA]{{extra}} }

        """;

    [Fact]
    public void Load_DynamoDbInterfaceEndpointWithDnsOptions_ReadIntoTheModel()
    {
        var model = TestTemplates.LoadValid(Network + GatewayEndpoint + Interface("dynamodb",
            ", PrivateDnsEnabled: true, DnsOptions: { DnsRecordIpType: service-defined, PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver }")).Model;

        var endpoint = model.VpcEndpoints.Single(e => e.Type == VpcEndpointType.Interface);
        Assert.Equal(new VpcEndpointDnsOptions("service-defined", true), endpoint.DnsOptions);
    }

    [Fact]
    public void Load_PrivateDnsWithAGatewayEndpointAndNoDnsOptions_InboundOnlyAsEc2SetsIt()
    {
        var model = TestTemplates.LoadValid(Network + GatewayEndpoint + Interface("dynamodb", ", PrivateDnsEnabled: true")).Model;

        Assert.True(model.VpcEndpoints.Single(e => e.Type == VpcEndpointType.Interface).DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint);
    }

    [Fact]
    public void Load_PrivateDnsWithoutAGatewayEndpoint_ForAllResolvers()
    {
        var model = TestTemplates.LoadValid(Network + Interface("dynamodb", ", PrivateDnsEnabled: true")).Model;

        Assert.Equal(VpcEndpointDnsOptions.Default, model.VpcEndpoints.Single().DnsOptions);
    }

    [Theory]
    [InlineData(true, "OnlyInboundResolver", true)]
    [InlineData(false, "AllResolvers", false)]
    [InlineData(true, "NotSpecified", true)]
    [InlineData(false, "NotSpecified", false)]
    public void Load_InboundOnlyAsCloudFormationWritesIt_MappedOntoTheModel(bool gateway, string value, bool inboundOnly)
    {
        var model = TestTemplates.LoadValid(Network + (gateway ? GatewayEndpoint : string.Empty) + Interface("dynamodb",
            $", PrivateDnsEnabled: true, DnsOptions: {{ PrivateDnsOnlyForInboundResolverEndpoint: {value} }}")).Model;

        var endpoint = model.VpcEndpoints.Single(e => e.Type == VpcEndpointType.Interface);
        Assert.Equal(inboundOnly, endpoint.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("\"true\"")]
    [InlineData("onlyInboundResolver")]
    [InlineData("Yes")]
    public void Load_InboundOnlyNotCloudFormationsEnum_ProblemNamingTheValues(string value)
    {
        var problem = TestTemplates.SingleProblem(Network + GatewayEndpoint + Interface("dynamodb",
            $", PrivateDnsEnabled: true, DnsOptions: {{ PrivateDnsOnlyForInboundResolverEndpoint: {value} }}"));

        Assert.Equal(("Endpoint", "Properties.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint"), (problem.Resource, problem.Property));
        Assert.Contains($"'{value.Trim('"')}' is not one of OnlyInboundResolver, AllResolvers, NotSpecified", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, ", PrivateDnsEnabled: true, DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: AllResolvers }", "must be OnlyInboundResolver (or left out): the VPC")]
    [InlineData(false, ", PrivateDnsEnabled: true, DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver }", "To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC vpc-")]
    [InlineData(true, ", DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver }", "needs PrivateDnsEnabled true.")]
    public void Load_InboundOnlyCombinationEc2Refuses_ProblemAtTheProperty(bool gateway, string extra, string message)
    {
        var problem = TestTemplates.SingleProblem(Network + (gateway ? GatewayEndpoint : string.Empty) + Interface("dynamodb", extra));

        Assert.Equal(("Endpoint", "Properties.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint"), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InboundOnlyForAServiceWithoutGatewayEndpoints_Problem()
    {
        var problem = TestTemplates.SingleProblem(Network + Interface("sts", ", PrivateDnsEnabled: true, DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver }"));

        Assert.Equal(("Endpoint", "Properties.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint"), (problem.Resource, problem.Property));
        Assert.Contains("services that support both gateway and interface endpoints", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ipv5", "'ipv5' is not one of ipv4, ipv6, dualstack, service-defined, not-specified.")]
    [InlineData("IPv4", "'IPv4' is not one of ipv4, ipv6, dualstack, service-defined, not-specified.")]
    [InlineData("ipv6", "Cloister's endpoints have IPv4 addresses only")]
    public void Load_DnsRecordIpTypeNotServed_ProblemAtTheProperty(string value, string message)
    {
        var problem = TestTemplates.SingleProblem(Network + Interface("dynamodb", $", DnsOptions: {{ DnsRecordIpType: {value} }}"));

        Assert.Equal(("Endpoint", "Properties.DnsOptions.DnsRecordIpType"), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ipv4", "ipv4")]
    [InlineData("service-defined", "service-defined")]
    [InlineData("not-specified", "ipv4")]
    public void Load_DnsRecordIpTypeCloudFormationTakes_ReadIntoTheModel(string value, string recordType)
    {
        var model = TestTemplates.LoadValid(Network + Interface("dynamodb", $", DnsOptions: {{ DnsRecordIpType: {value} }}")).Model;

        Assert.Equal(recordType, model.VpcEndpoints.Single().DnsOptions.DnsRecordIpType);
    }
}
