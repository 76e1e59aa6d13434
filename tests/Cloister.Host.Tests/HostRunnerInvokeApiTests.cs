namespace Cloister.Host.Tests;

/// <summary>
/// Lambda's Invoke API as an instance reaches it: the AWS CLI v2 run on the instance (<c>cloister exec</c>) with its
/// instance profile's role session from IMDS, through a Lambda interface endpoint whose private DNS points
/// <c>lambda.{region}.amazonaws.com</c> at its ENI.
/// </summary>
public sealed class HostRunnerInvokeApiTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsLambdaInvokeFromAnInstanceThroughTheInterfaceEndpoint_PayloadInOutFileAndAnInstanceWithoutLeaveDenied()
    {
        var events = await ProgressAsync(Start(Request($$"""
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
              Echo: {{EchoFunction}}
              # The two instances' roles: the caller's may invoke the function, the other's has no policy at all.
              CallerRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: invoke-echo, PolicyDocument: { Statement: [{ Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Echo.Arn }] } }]
              OtherRole:
                Type: AWS::IAM::Role
                Properties: { AssumeRolePolicyDocument: {{AssumedByEc2}} }
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
        Assert.Equal("""{"echo": {"hello": "vpc"}}""", await ReadOnInstanceAsync("Caller", allowedOut));
        Assert.Contains("\"StatusCode\": 200", allowed.Output, StringComparison.Ordinal);
        Assert.Equal(254, denied.ExitCode);
        Assert.Matches(
            @"An error occurred \(AccessDeniedException\) when calling the Invoke operation: User: arn:aws:sts::\d{12}:assumed-role/[^/]+-OtherRole-[A-Z0-9]+/i-[0-9a-f]{17} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-central-1:\d{12}:function:echo because no identity-based policy allows the lambda:InvokeFunction action",
            denied.Error);
        Assert.Null(await ReadOnInstanceAsync("Other", deniedOut));
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsLambdaFromInstancesWithoutAnInterfaceEndpoint_PrivateSubnetTimesOutPublicSubnetReachesTheRegionalAddress()
    {
        // No Lambda interface endpoint: lambda.{region}.amazonaws.com is the public 198.18.4.10, which a subnet reaches
        // only by a NAT or internet gateway route, as on AWS.
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(25)}}
              Private: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.25.2.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              Echo: {{EchoFunction}}
              CallerRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: use-echo, PolicyDocument: { Statement: [{ Effect: Allow, Action: [lambda:InvokeFunction, lambda:GetFunctionConfiguration], Resource: !GetAtt Echo.Arn }] } }]
              CallerProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref CallerRole] } }
              Inside: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref CallerProfile } }
              Outside: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref CallerProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        var privateOut = Path.Combine(_state.Root, "private.json");
        var publicOut = Path.Combine(_state.Root, "public.json");

        var resolved = await CloisterAsync("exec", "--from", "Inside", "--", "getent", "hosts", "lambda.eu-central-1.amazonaws.com");
        var fromPrivate = await CloisterAsync("exec", "--from", "Inside", "--", "env", "AWS_MAX_ATTEMPTS=1", AwsCli, "lambda", "invoke", "--cli-connect-timeout", "5", "--function-name", "echo", privateOut);
        var fromPublic = await CloisterAsync("exec", "--from", "Outside", "--", AwsCli, "lambda", "invoke", "--function-name", "echo", "--cli-binary-format", "raw-in-base64-out", "--payload", """{"hello":"igw"}""", publicOut);
        var configuration = await CloisterAsync("exec", "--from", "Outside", "--", AwsCli, "lambda", "get-function-configuration", "--function-name", "echo");

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("198.18.4.10 ", resolved.Output, StringComparison.Ordinal);
        Assert.Equal(255, fromPrivate.ExitCode);
        // The packets go nowhere (no route, and no ICMP error back), so the CLI waits out its connect timeout, as on AWS.
        Assert.Contains("Connect timeout on endpoint URL: \"https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/echo/invocations\"", fromPrivate.Error, StringComparison.Ordinal);
        Assert.Null(await ReadOnInstanceAsync("Inside", privateOut));
        Assert.True(fromPublic.ExitCode == 0, fromPublic.Error);
        Assert.Equal("""{"echo": {"hello": "igw"}}""", await ReadOnInstanceAsync("Outside", publicOut));
        Assert.True(configuration.ExitCode == 0, configuration.Error);
        Assert.Contains("\"FunctionName\": \"echo\"", configuration.Output, StringComparison.Ordinal);
        Assert.Contains("\"Runtime\": \"python3.12\"", configuration.Output, StringComparison.Ordinal);
    }
}
