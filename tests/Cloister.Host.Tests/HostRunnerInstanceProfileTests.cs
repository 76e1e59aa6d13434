namespace Cloister.Host.Tests;

/// <summary>
/// An instance whose profile's role does not trust <c>ec2.amazonaws.com</c>, launched from a launch template (the CLI
/// warns of the template when it loads it): the instance runs, and the AWS CLI on it finds no credentials in its metadata, as on EC2.
/// </summary>
public sealed class HostRunnerInstanceProfileTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_LaunchTemplateProfileRoleNotTrustingEc2_TheCliOnTheInstanceFindsNoCredentials()
    {
        var events = await ProgressAsync(Start(Request("""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.29.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.29.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              LambdaRole:
                Type: AWS::IAM::Role
                Properties: { RoleName: lambda-only, AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] } }
              Profile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref LambdaRole] } }
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    ImageId: ami-0123456789abcdef0
                    IamInstanceProfile: { Arn: !GetAtt Profile.Arn }
                    MetadataOptions: { HttpTokens: required }
              Box:
                Type: AWS::EC2::Instance
                Properties: { SubnetId: !Ref Subnet, LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber } }
            """)));
        Assert.Equal("ready", events[^1].State);

        var info = await CloisterAsync("exec", "--from", "Box", "--", "sh", "-c",
            "t=$(curl -sS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) && curl -sS -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/iam/info");
        var identity = await CloisterAsync("exec", "--from", "Box", "--", AwsCli, "sts", "get-caller-identity");

        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("\"Code\" : \"AssumeRoleUnauthorizedAccess\"", info.Output, StringComparison.Ordinal); // EC2 prints its documents "Name" : value
        Assert.Contains("EC2 cannot assume the role lambda-only.", info.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, identity.ExitCode);
        Assert.Contains("Unable to locate credentials", identity.Error, StringComparison.Ordinal);
    }
}
