using Cloister.Model.LoadBalancing;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>A target group's <c>TargetGroupAttributes</c>, read into the model or refused as ELB refuses them.</summary>
public sealed class TargetGroupAttributesMappingTests
{
    private const string Network = """
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
        """;

    [Fact]
    public void TargetGroup_NoAttributes_HasElbsDefaults()
    {
        var model = TestTemplates.LoadValid(Group("TCP", "instance", null)).Model;

        var group = Assert.Single(model.TargetGroups);
        Assert.Equal(TargetGroupAttributes.Default, group.Attributes);
        Assert.Equal(300, group.Attributes.DeregistrationDelaySeconds);
        Assert.True(group.PreservesClientIp);
    }

    [Fact]
    public void TargetGroup_IpTargetsOfTcp_DoNotPreserveClientIpUnlessTheAttributeSaysSo()
    {
        var plain = TestTemplates.LoadValid(Group("TCP", "ip", null)).Model.TargetGroups.Single();
        var preserving = TestTemplates.LoadValid(Group("TCP", "ip", "[{ Key: preserve_client_ip.enabled, Value: 'true' }]")).Model.TargetGroups.Single();

        Assert.False(plain.PreservesClientIp);
        Assert.True(preserving.PreservesClientIp);
    }

    [Fact]
    public void TargetGroup_DeregistrationAttributes_AreRead()
    {
        var model = TestTemplates.LoadValid(Group("TCP", "instance",
            "[{ Key: deregistration_delay.timeout_seconds, Value: '5' }, { Key: deregistration_delay.connection_termination.enabled, Value: 'true' }, { Key: preserve_client_ip.enabled, Value: 'false' }]")).Model;

        Assert.Equal(new TargetGroupAttributes(false, 5, true), model.TargetGroups.Single().Attributes);
    }

    [Fact]
    public void TargetGroup_AttributeElbKnowsButCloisterDoesNotRun_IsAcceptedWithAWarning()
    {
        var result = TestTemplates.LoadValid(Group("TCP", "instance", "[{ Key: proxy_protocol_v2.enabled, Value: 'true' }]"));

        Assert.Contains(result.Warnings, w => w.Resource == "Targets" && w.Message.Contains("proxy_protocol_v2.enabled", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[{ Key: preserve_client_ip.enable, Value: 'true' }]", "TargetGroupAttributes[0].Key", "Target group attribute key 'preserve_client_ip.enable' is not recognized")]
    [InlineData("[{ Key: preserve_client_ip.enabled, Value: 'yes' }]", "TargetGroupAttributes[0].Value", "must be 'true' or 'false', not 'yes'")]
    [InlineData("[{ Key: deregistration_delay.timeout_seconds, Value: '3601' }]", "TargetGroupAttributes[0].Value", "from 0 to 3600 seconds, not '3601'")]
    [InlineData("[{ Key: deregistration_delay.timeout_seconds, Value: '-1' }]", "TargetGroupAttributes[0].Value", "from 0 to 3600 seconds, not '-1'")]
    [InlineData("[{ Key: deregistration_delay.connection_termination.enabled, Value: 'TRUE' }]", "TargetGroupAttributes[0].Value", "must be 'true' or 'false'")]
    [InlineData("[{ Value: 'true' }]", "TargetGroupAttributes[0].Key", "is required")]
    public void TargetGroup_BadAttribute_IsReportedAtThePair(string attributes, string property, string message)
    {
        var result = TestTemplates.Load(Group("TCP", "instance", attributes));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Targets");
        Assert.Equal("Properties." + property, problem.Property);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetGroup_PreserveClientIpOnAnHttpGroup_IsRefused()
    {
        var result = TestTemplates.Load(Group("HTTP", "instance", "[{ Key: preserve_client_ip.enabled, Value: 'true' }]"));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Targets");
        Assert.Contains("only supported by network load balancer target groups", problem.Message, StringComparison.Ordinal);
    }

    private static string Group(string protocol, string targetType, string? attributes) =>
        "Resources:\n" + Network + "\n" + $$"""
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Protocol: {{protocol}}, Port: 80, VpcId: !Ref Vpc, TargetType: {{targetType}}{{(attributes is null ? string.Empty : ", TargetGroupAttributes: " + attributes)}} }
            """;
}
