namespace Cloister.Templates.Tests.Mapping;

/// <summary>The <c>Name</c> of a load balancer and of a target group, refused as CreateLoadBalancer and CreateTargetGroup refuse it.</summary>
public sealed class LoadBalancingNameMappingTests
{
    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "Target group name 'abcdefghijklmnopqrstuvwxyz0123456' cannot be longer than '32' characters")]
    [InlineData("my_targets", "Target group name 'my_targets' can only contain characters that are alphanumeric characters or hyphens(-)")]
    [InlineData("api.example", "Target group name 'api.example' can only contain characters that are alphanumeric characters or hyphens(-)")]
    [InlineData("-targets", "1 validation error detected: Value '-targets' at 'targetGroup.targetGroupArn.targetGroupName' failed to satisfy constraint")]
    [InlineData("targets-", "1 validation error detected: Value 'targets-' at 'targetGroup.targetGroupArn.targetGroupName' failed to satisfy constraint")]
    [InlineData("tar--gets", "1 validation error detected: Value 'tar--gets' at 'targetGroup.targetGroupArn.targetGroupName' failed to satisfy constraint")]
    public void TargetGroup_NameElbRefuses_IsProblemInElbsWords(string name, string message)
    {
        var result = TestTemplates.Load(Group(name));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Targets", "Properties.Name"), (problem.Resource, problem.Property));
        Assert.StartsWith(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("Claims-API-2")]
    public void TargetGroup_NameWithinElbsRules_IsKept(string name)
    {
        var group = Assert.Single(TestTemplates.LoadValid(Group(name)).Model.TargetGroups);

        Assert.Equal(name, group.Name);
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "The load balancer name 'abcdefghijklmnopqrstuvwxyz0123456' cannot be longer than '32' characters")]
    [InlineData("my_alb", "The load balancer name 'my_alb' can only contain characters that are alphanumeric characters or hyphens(-)")]
    [InlineData("internal-claims", "The load balancer name 'internal-claims' cannot begin with 'internal-'")]
    [InlineData("-claims", "The load balancer name '-claims' cannot begin with a hyphen(-)")]
    [InlineData("claims-", "The load balancer name 'claims-' cannot end with a hyphen(-)")]
    public void LoadBalancer_NameElbRefuses_IsProblemInElbsWords(string name, string message)
    {
        var result = TestTemplates.Load(Balancer(name));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Alb", "Properties.Name", message), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("claims-internal")]
    public void LoadBalancer_NameWithinElbsRules_IsKept(string name)
    {
        var balancer = Assert.Single(TestTemplates.LoadValid(Balancer(name)).Model.LoadBalancers);

        Assert.Equal(name, balancer.Name);
    }

    [Theory]
    [InlineData("Scheme: internet-facing, ")]
    [InlineData("")]
    public void LoadBalancer_InternetFacingInVpcWithoutInternetGateway_IsElbsInvalidSubnet(string scheme)
    {
        var result = TestTemplates.Load(Facing(scheme, gateway: false));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Alb", "Properties.Subnets"), (problem.Resource, problem.Property));
        Assert.Matches("^VPC vpc-[0-9a-f]+ has no internet gateway$", problem.Message);
    }

    [Fact]
    public void LoadBalancer_InternetFacingInVpcWithInternetGateway_IsServedOnItsPrivateAddresses()
    {
        var balancer = Assert.Single(TestTemplates.LoadValid(Facing("Scheme: internet-facing, ", gateway: true)).Model.LoadBalancers);

        Assert.False(balancer.Internal);
    }

    private static string Facing(string scheme, bool gateway) =>
        "Resources:\n" + LoadBalancingHealthMappingTests.Network + "\n" + $$"""
              Alb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { {{scheme}}Subnets: [!Ref SubnetA, !Ref SubnetB] }
            """ + (gateway ? """

              Gateway: { Type: AWS::EC2::InternetGateway }
              Attachment: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway } }
            """ : string.Empty);

    private static string Balancer(string name) =>
        "Resources:\n" + LoadBalancingHealthMappingTests.Network + "\n" + $$"""
              Alb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { Name: '{{name}}', Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] }
            """;

    private static string Group(string name) =>
        "Resources:\n" + LoadBalancingHealthMappingTests.Network + "\n" + $$"""
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Name: '{{name}}', Protocol: HTTP, Port: 80, VpcId: !Ref Vpc, TargetType: ip }
            """;
}
