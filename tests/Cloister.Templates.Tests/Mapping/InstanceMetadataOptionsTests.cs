using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// An instance's <c>MetadataOptions</c> and <c>Tags</c>: read into the model (Amazon Linux 2023's defaults when not
/// given), bad values refused with the resource and property, and tag keys the metadata service cannot serve refused
/// only when <c>InstanceMetadataTags</c> is enabled, as EC2 refuses the launch.
/// </summary>
public sealed class InstanceMetadataOptionsTests
{
    private static string Template(string properties) => $$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
          Host: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref Subnet{{properties}} } }
        """;

    private static Instance Load(string properties = "") => Assert.Single(TestTemplates.LoadValid(Template(properties)).Model.Instances);

    [Fact]
    public void Instance_NoMetadataOptions_TokensRequiredHopLimitTwoTagsOff()
    {
        var instance = Load();

        Assert.Equal(new InstanceMetadataOptions(HttpEndpointEnabled: true, HttpTokensRequired: true, HttpPutResponseHopLimit: 2, InstanceMetadataTags: false), instance.MetadataOptions);
    }

    [Fact]
    public void Instance_AllMetadataOptions_AreReadIntoTheModel()
    {
        var instance = Load(", MetadataOptions: { HttpEndpoint: enabled, HttpTokens: optional, HttpPutResponseHopLimit: 64, InstanceMetadataTags: enabled, HttpProtocolIpv6: disabled }");

        Assert.Equal(new InstanceMetadataOptions(HttpEndpointEnabled: true, HttpTokensRequired: false, HttpPutResponseHopLimit: 64, InstanceMetadataTags: true), instance.MetadataOptions);
    }

    [Fact]
    public void Instance_EndpointDisabledOnly_KeepsTheOtherDefaults()
    {
        var instance = Load(", MetadataOptions: { HttpEndpoint: disabled }");

        Assert.Equal(InstanceMetadataOptions.Default with { HttpEndpointEnabled = false }, instance.MetadataOptions);
    }

    [Fact]
    public void Instance_Tags_InTheTemplatesOrderThenCloudFormations()
    {
        var instance = Load(", Tags: [{ Key: Name, Value: web }, { Key: team:owner, Value: ops }, { Key: Empty }]");

        Assert.Equal(
            ["Name", "team:owner", "Empty", "aws:cloudformation:stack-name", "aws:cloudformation:logical-id", "aws:cloudformation:stack-id"],
            instance.Tags.Select(t => t.Key));
        Assert.Equal(["web", "ops", string.Empty, "Host"], instance.Tags.Take(3).Append(instance.Tags[4]).Select(t => t.Value));
        Assert.Equal("web", instance.Name);
    }

    [Fact]
    public void Instance_TagKeyWithSpaceAndTagsDisabled_IsAccepted()
    {
        var instance = Load(", Tags: [{ Key: cost centre, Value: a/b }]");

        Assert.Equal("cost centre", instance.Tags[0].Key);
    }

    [Theory]
    [InlineData("{ HttpTokens: Required }", "MetadataOptions.HttpTokens", "'Required' is not one of optional, required.")]
    [InlineData("{ HttpEndpoint: on }", "MetadataOptions.HttpEndpoint", "'on' is not one of enabled, disabled.")]
    [InlineData("{ InstanceMetadataTags: true }", "MetadataOptions.InstanceMetadataTags", "'true' is not one of enabled, disabled.")]
    [InlineData("{ HttpProtocolIpv6: yes }", "MetadataOptions.HttpProtocolIpv6", "'yes' is not one of enabled, disabled.")]
    [InlineData("{ HttpPutResponseHopLimit: 0 }", "MetadataOptions.HttpPutResponseHopLimit", "0 is not from 1 to 64.")]
    [InlineData("{ HttpPutResponseHopLimit: 65 }", "MetadataOptions.HttpPutResponseHopLimit", "65 is not from 1 to 64.")]
    [InlineData("{ HttpPutResponseHopLimit: two }", "MetadataOptions.HttpPutResponseHopLimit", "'two' is not an integer.")]
    [InlineData("required", "MetadataOptions", "must be a map")]
    public void MetadataOptions_BadValue_IsReportedAtResourceAndProperty(string options, string property, string message)
    {
        var result = TestTemplates.Load(Template(", MetadataOptions: " + options));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Host", "Properties." + property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cost centre")]
    [InlineData("team/owner")]
    [InlineData("_index")]
    [InlineData("..")]
    public void Tags_KeyMetadataCannotServeWithTagsEnabled_IsReportedAtTheKey(string key)
    {
        var result = TestTemplates.Load(Template($", MetadataOptions: {{ InstanceMetadataTags: enabled }}, Tags: [{{ Key: Name, Value: web }}, {{ Key: '{key}', Value: x }}]"));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Host", "Properties.Tags[1].Key"), (problem.Resource, problem.Property));
        Assert.Contains($"'{key}' cannot be served in instance metadata", problem.Message, StringComparison.Ordinal);
    }
}
