using System.Diagnostics;
using Cloister.Tests.Shared;

namespace Cloister.Host.Tests;

/// <summary>
/// Lambda's Invoke API as an instance reaches it: the AWS CLI v2 run on the instance (<c>cloister exec</c>) with its
/// instance profile's role session from IMDS, through a Lambda interface endpoint whose private DNS points
/// <c>lambda.{region}.amazonaws.com</c> at its ENI.
/// </summary>
public sealed partial class HostRunnerTests
{
    /// <summary>The AWS CLI v2 (a v1 may come first on PATH).</summary>
    private const string AwsCli = "/usr/bin/aws";

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsLambdaInvokeFromAnInstanceThroughTheInterfaceEndpoint_PayloadInOutFileAndAnInstanceWithoutLeaveDenied()
    {
        var events = await ProgressAsync(Start(Request("""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.24.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.24.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              EndpointSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to Lambda from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.24.0.0/16 }]
              LambdaEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.lambda", PrivateDnsEnabled: true, SubnetIds: [!Ref Subnet], SecurityGroupIds: [!Ref EndpointSecurityGroup] }
              Echo:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: echo
                  Runtime: python3.12
                  Handler: index.handler
                  Code:
                    ZipFile: |
                      def handler(event, context):
                          return {"echo": event}
              # The two instances' roles: the caller's may invoke the function, the other's has no policy at all.
              CallerRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies: [{ PolicyName: invoke-echo, PolicyDocument: { Statement: [{ Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Echo.Arn }] } }]
              OtherRole:
                Type: AWS::IAM::Role
                Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] } }
              CallerProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref CallerRole] } }
              OtherProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref OtherRole] } }
              Caller: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref CallerProfile } }
              Other: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref OtherProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        var allowedOut = Path.Combine(_state.Root, "allowed.json");
        var deniedOut = Path.Combine(_state.Root, "denied.json");

        var resolved = await CloisterAsync("exec", "--from", "Caller", "--", "getent", "hosts", "lambda.eu-central-1.amazonaws.com");
        var allowed = await CloisterAsync("exec", "--from", "Caller", "--", AwsCli, "lambda", "invoke", "--function-name", "echo", "--cli-binary-format", "raw-in-base64-out", "--payload", """{"hello":"vpc"}""", allowedOut);
        var denied = await CloisterAsync("exec", "--from", "Other", "--", AwsCli, "lambda", "invoke", "--function-name", "echo", deniedOut);

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("10.24.1.", resolved.Output, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal("""{"echo": {"hello": "vpc"}}""", await File.ReadAllTextAsync(allowedOut));
        Assert.Contains("\"StatusCode\": 200", allowed.Output, StringComparison.Ordinal);
        Assert.Equal(254, denied.ExitCode);
        Assert.Matches(
            @"An error occurred \(AccessDeniedException\) when calling the Invoke operation: User: arn:aws:sts::\d{12}:assumed-role/[^/]+-OtherRole-[A-Z0-9]+/i-[0-9a-f]{17} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-central-1:\d{12}:function:echo because no identity-based policy allows the lambda:InvokeFunction action",
            denied.Error);
        Assert.False(File.Exists(deniedOut));
    }

    /// <summary>The <c>cloister</c> built next to these tests, on this test's state folder.</summary>
    private async Task<(int ExitCode, string Output, string Error)> CloisterAsync(params string[] arguments)
    {
        var program = HostLauncher.CloisterProgram(AppContext.BaseDirectory);
        var start = new ProcessStartInfo(program[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in program[1..].Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLOISTER_HOME"] = _state.Root;
        using var process = Process.Start(start)!;
        return await ProcessCompletion.FinishAsync(process, TimeSpan.FromSeconds(90), "cloister " + arguments[0]);
    }
}
