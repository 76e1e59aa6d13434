using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// Subnets' <c>PrivateDnsNameOptionsOnLaunch</c> and instances' <c>PrivateDnsNameOptions</c>: read into the model, inherited
/// field by field at launch, refused with the resource and property, and what <c>Fn::GetAtt PrivateDnsName</c> gives.
/// </summary>
public sealed class HostNameOptionsTests
{
    private static string Template(string subnetOptions, string instanceOptions) => $$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24{{subnetOptions}} } }
          Host: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref Subnet, PrivateIpAddress: 10.1.1.20{{instanceOptions}} } }
        Outputs:
          Name: { Value: !GetAtt Host.PrivateDnsName }
        """;

    private static (Instance Instance, Subnet Subnet, string PrivateDnsName) Load(string subnetOptions = "", string instanceOptions = "")
    {
        var result = TestTemplates.LoadValid(Template(subnetOptions, instanceOptions));
        return (Assert.Single(result.Model.Instances), Assert.Single(result.Model.Subnets), Assert.Single(result.Stacks).Outputs.Single().OutputValue);
    }

    [Fact]
    public void Instance_NoOptions_IpNameAsEc2Defaults()
    {
        var (instance, subnet, name) = Load();

        Assert.Equal(PrivateDnsNameOptions.Default, subnet.PrivateDnsNameOptionsOnLaunch);
        Assert.Equal(PrivateDnsNameOptions.Default, instance.PrivateDnsNameOptions);
        Assert.Equal("ip-10-1-1-20.eu-central-1.compute.internal", name);
    }

    [Fact]
    public void Instance_ResourceNameOfItsOwn_GetAttGivesItsIdName()
    {
        var (instance, _, name) = Load(instanceOptions: ", PrivateDnsNameOptions: { HostnameType: resource-name, EnableResourceNameDnsARecord: true }");

        Assert.Equal(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true), instance.PrivateDnsNameOptions);
        Assert.Equal($"{instance.Id}.eu-central-1.compute.internal", name);
        Assert.Equal(name, Ec2HostNames.PrivateDnsName(instance, "eu-central-1"));
    }

    [Fact]
    public void Instance_WithoutOptions_InheritsItsSubnets()
    {
        var (instance, subnet, name) = Load(subnetOptions: ", PrivateDnsNameOptionsOnLaunch: { HostnameType: resource-name, EnableResourceNameDnsARecord: true, EnableResourceNameDnsAAAARecord: false }");

        Assert.Equal(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true), subnet.PrivateDnsNameOptionsOnLaunch);
        Assert.Equal(subnet.PrivateDnsNameOptionsOnLaunch, instance.PrivateDnsNameOptions);
        Assert.Equal($"{instance.Id}.eu-central-1.compute.internal", name);
    }

    [Fact]
    public void Instance_PartialOptions_InheritsTheFieldsItLeavesOut()
    {
        var (instance, _, name) = Load(
            subnetOptions: ", PrivateDnsNameOptionsOnLaunch: { HostnameType: resource-name, EnableResourceNameDnsARecord: true }",
            instanceOptions: ", PrivateDnsNameOptions: { EnableResourceNameDnsAAAARecord: true }");

        Assert.Equal(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true, EnableResourceNameDnsAAAARecord: true), instance.PrivateDnsNameOptions);
        Assert.Equal($"{instance.Id}.eu-central-1.compute.internal", name);
    }

    [Fact]
    public void Instance_IpNameOverSubnetsResourceName_GetAttGivesIpName()
    {
        var (instance, _, name) = Load(
            subnetOptions: ", PrivateDnsNameOptionsOnLaunch: { HostnameType: resource-name }",
            instanceOptions: ", PrivateDnsNameOptions: { HostnameType: ip-name }");

        Assert.Equal(HostnameType.IpName, instance.PrivateDnsNameOptions.HostnameType);
        Assert.Equal("ip-10-1-1-20.eu-central-1.compute.internal", name);
    }

    [Theory]
    [InlineData("Subnet", ", PrivateDnsNameOptionsOnLaunch: { HostnameType: foo }", "", "PrivateDnsNameOptionsOnLaunch.HostnameType", "'foo' is not one of ip-name, resource-name.")]
    [InlineData("Host", "", ", PrivateDnsNameOptions: { HostnameType: Resource-Name }", "PrivateDnsNameOptions.HostnameType", "'Resource-Name' is not one of ip-name, resource-name.")]
    [InlineData("Host", "", ", PrivateDnsNameOptions: { EnableResourceNameDnsARecord: sometimes }", "PrivateDnsNameOptions.EnableResourceNameDnsARecord", "'sometimes' is not true or false.")]
    [InlineData("Subnet", ", PrivateDnsNameOptionsOnLaunch: { EnableResourceNameDnsAAAARecord: [true] }", "", "PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsAAAARecord", "must be a string")]
    [InlineData("Host", "", ", PrivateDnsNameOptions: resource-name", "PrivateDnsNameOptions", "must be a map")]
    public void Options_BadValue_IsReportedAtResourceAndProperty(string resource, string subnetOptions, string instanceOptions, string property, string message)
    {
        var result = TestTemplates.Load(Template(subnetOptions, instanceOptions));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal((resource, "Properties." + property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }
}
