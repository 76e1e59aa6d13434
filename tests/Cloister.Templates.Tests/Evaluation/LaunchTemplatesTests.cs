using System.Text.RegularExpressions;
using Cloister.Model.Network;

namespace Cloister.Templates.Tests.Evaluation;

/// <summary>
/// <c>AWS::EC2::LaunchTemplate</c> read into the instances that launch from it: its data under what the instance does
/// not give itself, its Ref and version attributes, and the errors EC2 or CloudFormation gives, at the instance's property.
/// </summary>
public sealed partial class LaunchTemplatesTests
{
    private static string Template(string launchTemplate, string instance, string extra = "") => $$"""
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
          Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: web, VpcId: !Ref Vpc } }
          Role: { Type: AWS::IAM::Role, Properties: { RoleName: web-role, AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] } } }
          Profile: { Type: AWS::IAM::InstanceProfile, Properties: { InstanceProfileName: web-profile, Roles: [!Ref Role] } }
          Lt:
            Type: AWS::EC2::LaunchTemplate
            Properties:
        {{Indent(launchTemplate, 6)}}
          Host:
            Type: AWS::EC2::Instance
            Properties:
        {{Indent(instance, 6)}}
        {{extra}}
        """;

    private const string FullData = """
        LaunchTemplateName: web-template
        LaunchTemplateData:
          ImageId: ami-0123456789abcdef0
          InstanceType: t3.micro
          KeyName: ignored
          UserData: !Base64 "#!/bin/sh\necho from-template\n"
          IamInstanceProfile: { Name: !Ref Profile }
          SecurityGroupIds: [!Ref Group]
          MetadataOptions: { HttpTokens: optional, HttpPutResponseHopLimit: 3, InstanceMetadataTags: enabled }
          TagSpecifications:
            - ResourceType: instance
              Tags: [{ Key: Name, Value: from-template }, { Key: team, Value: web }]
            - ResourceType: volume
              Tags: [{ Key: disk, Value: root }]
        """;

    [Fact]
    public void Instance_LaunchTemplateById_TakesItsData()
    {
        var instance = Load(FullData, """
            SubnetId: !Ref Subnet
            LaunchTemplate: { LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber }
            """);

        Assert.Equal("ami-0123456789abcdef0", instance.ImageId);
        Assert.Equal("t3.micro", instance.InstanceType);
        Assert.Equal("#!/bin/sh\necho from-template\n", instance.UserData);
        Assert.Equal("web-role", instance.InstanceProfileRole);
        Assert.Single(instance.SecurityGroupIds);
        Assert.StartsWith("sg-", instance.SecurityGroupIds[0], StringComparison.Ordinal);
        Assert.Equal(new InstanceMetadataOptions(HttpEndpointEnabled: true, HttpTokensRequired: false, HttpPutResponseHopLimit: 3, InstanceMetadataTags: true), instance.MetadataOptions);
        Assert.Equal(["Name", "team"], instance.Tags.Take(2).Select(t => t.Key));
        Assert.Equal("from-template", instance.Name);
        Assert.DoesNotContain(instance.Tags, t => t.Key == "disk");
    }

    [Fact]
    public void Instance_OwnProperties_WinOverTheLaunchTemplates()
    {
        var instance = Load(FullData, """
            SubnetId: !Ref Subnet
            InstanceType: m5.large
            MetadataOptions: { HttpTokens: required }
            Tags: [{ Key: Name, Value: own }]
            LaunchTemplate: { LaunchTemplateName: web-template, Version: $Latest }
            """, "    DependsOn: Lt");

        Assert.Equal("m5.large", instance.InstanceType);
        Assert.Equal("ami-0123456789abcdef0", instance.ImageId);
        Assert.True(instance.MetadataOptions.HttpTokensRequired);
        Assert.Equal(InstanceMetadataOptions.Default, instance.MetadataOptions);
        Assert.Equal([("Name", "own"), ("team", "web")], instance.Tags.Take(2).Select(t => (t.Key, t.Value)));
    }

    [Fact]
    public void Instance_NetworkInterfacesOfTheLaunchTemplate_GiveSubnetGroupsAndAddress()
    {
        var instance = Load("""
            LaunchTemplateData:
              NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: !Ref Subnet, Groups: [!Ref Group], PrivateIpAddress: 10.1.1.77 }]
            """, "LaunchTemplate: { LaunchTemplateId: !Ref Lt, Version: '1' }");

        Assert.StartsWith("subnet-", instance.SubnetId, StringComparison.Ordinal);
        Assert.Equal("10.1.1.77", instance.PrivateIpAddress);
        Assert.StartsWith("sg-", Assert.Single(instance.SecurityGroupIds), StringComparison.Ordinal);
    }

    [Fact]
    public void LaunchTemplate_RefAndVersionAttributes_AreTheIdAndOne()
    {
        var result = TestTemplates.LoadValid(Template("LaunchTemplateData: { ImageId: ami-1 }", "SubnetId: !Ref Subnet", """
            Outputs:
              Id: { Value: !Ref Lt }
              AttId: { Value: !GetAtt Lt.LaunchTemplateId }
              Latest: { Value: !GetAtt Lt.LatestVersionNumber }
              Default: { Value: !GetAtt Lt.DefaultVersionNumber }
            """));

        var outputs = result.Stacks.Single().Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        Assert.Matches(LaunchTemplateId(), outputs["Id"]);
        Assert.Equal(outputs["Id"], outputs["AttId"]);
        Assert.Equal(("1", "1"), (outputs["Latest"], outputs["Default"]));
    }

    [Theory]
    [InlineData("LaunchTemplate: { LaunchTemplateId: lt-0123456789abcdef0, Version: '1' }", "Properties.LaunchTemplate.LaunchTemplateId", "InvalidLaunchTemplateId.NotFound: The specified launch template, with template ID lt-0123456789abcdef0, does not exist.")]
    [InlineData("LaunchTemplate: { LaunchTemplateName: nobody, Version: '1' }", "Properties.LaunchTemplate.LaunchTemplateName", "InvalidLaunchTemplateName.NotFoundException: The specified launch template, with template name nobody, does not exist.")]
    [InlineData("LaunchTemplate: { LaunchTemplateName: web-template, Version: '1' }", "Properties.LaunchTemplate.LaunchTemplateName", "is made by Lt, which this instance does not depend on")]
    [InlineData("LaunchTemplate: { LaunchTemplateId: !Ref Lt, Version: '2' }", "Properties.LaunchTemplate.Version", "InvalidLaunchTemplateId.VersionNotFound: Could not find launch template version 2 for the launch template with ID lt-")]
    [InlineData("LaunchTemplate: { LaunchTemplateId: !Ref Lt }", "Properties.LaunchTemplate", "required key [Version] not found.")]
    [InlineData("LaunchTemplate: { LaunchTemplateId: !Ref Lt, LaunchTemplateName: web-template, Version: '1' }", "Properties.LaunchTemplate", "needs exactly one of LaunchTemplateId and LaunchTemplateName.")]
    public void Instance_BadLaunchTemplateReference_IsReportedAtTheInstancesProperty(string reference, string property, string message)
    {
        var result = TestTemplates.Load(Template(FullData, "SubnetId: !Ref Subnet\n" + reference));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Host", property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LaunchTemplateName: web-template", "Properties.LaunchTemplateData", "is required")]
    [InlineData("LaunchTemplateName: 'no spaces allowed', LaunchTemplateData: {}", "Properties.LaunchTemplateName", "is not 3 to 128 letters")]
    public void LaunchTemplate_BadProperties_AreReportedAtTheLaunchTemplate(string properties, string property, string message)
    {
        var result = TestTemplates.Load(Template("{ " + properties + " }", "SubnetId: !Ref Subnet"));

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Lt", property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    private static Instance Load(string launchTemplate, string instance, string extra = "") =>
        Assert.Single(TestTemplates.LoadValid(Template(launchTemplate, instance, extra)).Model.Instances);

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));

    [GeneratedRegex("^lt-[0-9a-f]{17}$")]
    private static partial Regex LaunchTemplateId();
}
