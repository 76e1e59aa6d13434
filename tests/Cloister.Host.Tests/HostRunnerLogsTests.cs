namespace Cloister.Host.Tests;

/// <summary>
/// The sandbox's CloudWatch Logs as an instance reaches it: the AWS CLI v2 run on the instance (<c>cloister exec</c>)
/// with its instance profile's role session, over an internet gateway route to <c>logs.{region}.amazonaws.com</c>,
/// reading the log group of a function it has just invoked and the template's declared group.
/// </summary>
public sealed class HostRunnerLogsTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsLogsFromAnInstanceAfterAnInvoke_TheFunctionsStartAndReportLinesAndTheDeclaredGroup()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(28)}}
              Echo: {{EchoFunction}}
              Audit: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: /cloister/audit, RetentionInDays: 14, LogGroupClass: INFREQUENT_ACCESS } }
              ReaderRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies:
                    - PolicyName: invoke-and-read-logs
                      PolicyDocument:
                        Statement:
                          - { Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Echo.Arn }
                          - { Effect: Allow, Action: [logs:DescribeLogGroups, logs:FilterLogEvents], Resource: "*" }
              ReaderProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref ReaderRole] } }
              Reader: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref ReaderProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        var invokeOut = Path.Combine(_state.Root, "invoke.json");

        var resolved = await CloisterAsync("exec", "--from", "Reader", "--", "getent", "hosts", "logs.eu-central-1.amazonaws.com");
        var invoked = await CloisterAsync("exec", "--from", "Reader", "--", AwsCli, "lambda", "invoke", "--function-name", "echo", invokeOut);
        var groups = await CloisterAsync("exec", "--from", "Reader", "--", AwsCli, "logs", "describe-log-groups", "--log-group-name-prefix", "/cloister/");
        var classed = await CloisterAsync("exec", "--from", "Reader", "--", AwsCli, "logs", "describe-log-groups", "--log-group-name-prefix", "/cloister/", "--debug");

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("198.18.5.10 ", resolved.Output, StringComparison.Ordinal);
        Assert.True(invoked.ExitCode == 0, invoked.Error);
        Assert.True(groups.ExitCode == 0, groups.Error);
        Assert.Contains("\"logGroupName\": \"/cloister/audit\"", groups.Output, StringComparison.Ordinal);
        Assert.Contains("\"retentionInDays\": 14", groups.Output, StringComparison.Ordinal);

        // This AWS CLI predates logGroupClass and leaves it out of its output: the answer's body is in its debug log.
        Assert.Contains("\"logGroupClass\":\"INFREQUENT_ACCESS\"", classed.Error, StringComparison.Ordinal);

        // The function's log is written behind its answer: ask until REPORT is there, as a user would run tail again.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (int ExitCode, string Output, string Error) tail;
        do
        {
            tail = await CloisterAsync("exec", "--from", "Reader", "--", AwsCli, "logs", "tail", "/aws/lambda/echo");
        }
        while (tail.ExitCode == 0 && !tail.Output.Contains("REPORT RequestId:", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.True(tail.ExitCode == 0, tail.Error);
        Assert.Matches(@"\S+ \d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]+ START RequestId: [0-9a-f-]+ Version: \$LATEST", tail.Output);
        Assert.Matches(@"\S+ \d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]+ REPORT RequestId: [0-9a-f-]+\s+Duration: ", tail.Output);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsLogsFromAPrivateSubnetThroughTheInterfaceEndpoint_TheDeclaredGroupAndTheEndpointPolicysRefusal()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.29.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              Private: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.29.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              EndpointSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to CloudWatch Logs from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.29.0.0/16 }]
              LogsEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties:
                  VpcId: !Ref Vpc
                  VpcEndpointType: Interface
                  ServiceName: !Sub "com.amazonaws.${AWS::Region}.logs"
                  PrivateDnsEnabled: true
                  SubnetIds: [!Ref Private]
                  SecurityGroupIds: [!Ref EndpointSecurityGroup]
                  PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Action: logs:DescribeLogGroups, Resource: "*" }] }
              Audit: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: /cloister/private-audit } }
              AppRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: read-logs, PolicyDocument: { Statement: [{ Effect: Allow, Action: "logs:*", Resource: "*" }] } }]
              AppProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref AppRole] } }
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref AppProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        Assert.DoesNotContain(events, e => e.State == "warning" && e.Message.Contains("LogsEndpoint", StringComparison.Ordinal));

        var resolved = await CloisterAsync("exec", "--from", "App", "--", "getent", "hosts", "logs.eu-central-1.amazonaws.com");
        var groups = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "logs", "describe-log-groups");
        var filter = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "logs", "filter-log-events", "--log-group-name", "/cloister/private-audit");

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("10.29.1.", resolved.Output, StringComparison.Ordinal);
        Assert.True(groups.ExitCode == 0, groups.Error);
        Assert.Contains("\"logGroupName\": \"/cloister/private-audit\"", groups.Output, StringComparison.Ordinal);
        Assert.Equal(254, filter.ExitCode);
        Assert.Contains("because no VPC endpoint policy allows the logs:FilterLogEvents action", filter.Error, StringComparison.Ordinal);
    }
}
