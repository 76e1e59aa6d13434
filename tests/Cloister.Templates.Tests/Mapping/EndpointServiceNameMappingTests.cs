namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// An endpoint's service that Cloister does not know loads with a warning at ServiceName: AWS refuses a name that does
/// not exist (InvalidServiceName), but has services Cloister does not know, so a typo is flagged without refusing them.
/// </summary>
public class EndpointServiceNameMappingTests
{
    private static TemplateLoadResult Load(string service) => TestTemplates.Load($$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          A: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
          Endpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: "com.amazonaws.eu-central-1.{{service}}", SubnetIds: [!Ref A] } }
        """);

    [Fact]
    public void VpcEndpoint_MisspelledService_LoadsWithWarningAtServiceName()
    {
        var result = Load("executeapi");

        Assert.True(result.IsValid, result.Validation.ToString());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("Endpoint", "Properties.ServiceName"), (warning.Resource, warning.Property));
        Assert.StartsWith("'executeapi' is not a service Cloister knows (it knows apigateway, ", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith("; on AWS a service name that does not exist is InvalidServiceName.", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("execute-api")]
    [InlineData("ssmmessages")]
    public void VpcEndpoint_KnownService_NoWarning(string service)
    {
        var result = Load(service);

        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Empty(result.Warnings);
    }
}
