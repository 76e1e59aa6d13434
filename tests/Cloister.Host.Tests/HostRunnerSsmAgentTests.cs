using System.Text.Json;
using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// Each instance's SSM Agent, run from inside the instance: with <c>AmazonSSMManagedInstanceCore</c> and the ssm and
/// ssmmessages interface endpoints of a private subnet it becomes an online managed node that runs what SendCommand
/// sends and takes sessions (<c>cloister session</c>); one whose security group lets no HTTPS out, and one whose role
/// lacks the permission, never register, one whose role lacks <c>ssmmessages:*</c> registers but takes no session (and
/// takes its commands from the <c>ec2messages</c> endpoint instead of the control channel), and
/// the host log says why; one in another VPC with only an internet gateway route and no endpoint reaches both services'
/// regional addresses and takes sessions too; a function in the VPC runs a command with boto3 as an operator would.
/// </summary>
public sealed class HostRunnerSsmAgentTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_SsmAgentOnInstancesOfAPrivateSubnet_OnlineWithManagedPolicyAndRunsSendCommand()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.32.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              Private: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.32.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              EndpointSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to Systems Manager from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.32.0.0/16 }]
              SsmEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ssm", PrivateDnsEnabled: true, SubnetIds: [!Ref Private], SecurityGroupIds: [!Ref EndpointSecurityGroup] }
              SsmMessagesEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ssmmessages", PrivateDnsEnabled: true, SubnetIds: [!Ref Private], SecurityGroupIds: [!Ref EndpointSecurityGroup] }
              Ec2MessagesEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties:
                  VpcId: !Ref Vpc
                  VpcEndpointType: Interface
                  ServiceName: !Sub "com.amazonaws.${AWS::Region}.ec2messages"
                  PrivateDnsEnabled: true
                  SubnetIds: [!Ref Private]
                  SecurityGroupIds: [!Ref EndpointSecurityGroup]
                  PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Action: ["ec2messages:GetMessages", "ec2messages:SendReply"], Resource: "*" }] }
              {{ManagedInstanceRole("Managed", "ssm:DescribeInstanceInformation, ssm:SendCommand, ssm:GetCommandInvocation, ssm:ListCommandInvocations")}}
              BareRole: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: {{AssumedByEc2}} } }
              RunCommandOnlyRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: no-sessions, PolicyDocument: { Statement: [{ Effect: Allow, Action: [ssm:UpdateInstanceInformation, "ec2messages:*"], Resource: "*" }] } }]
              RunCommandOnlyProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref RunCommandOnlyRole] } }
              BareProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref BareRole] } }
              NoHttpsOut:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: only HTTP out
                  VpcId: !Ref Vpc
                  SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0 }]
              FunctionGroup: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: the function's ENIs, VpcId: !Ref Vpc } }
              OperatorRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies: [{ PolicyName: run-commands, PolicyDocument: { Statement: [{ Effect: Allow, Action: [ssm:SendCommand, ssm:GetCommandInvocation], Resource: "*" }] } }]
              Operator:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: operator
                  Runtime: python3.12
                  Handler: index.handler
                  Timeout: 30
                  Role: !GetAtt OperatorRole.Arn
                  VpcConfig: { SubnetIds: [!Ref Private], SecurityGroupIds: [!Ref FunctionGroup] }
                  Code:
                    ZipFile: |
                      import time, boto3
                      def handler(event, context):
                          ssm = boto3.client('ssm')
                          command = ssm.send_command(InstanceIds=[event['instance']], DocumentName='AWS-RunShellScript', Parameters={'commands': ['echo from-a-function']})['Command']['CommandId']
                          while True:
                              got = ssm.get_command_invocation(CommandId=command, InstanceId=event['instance'])
                              if got['Status'] not in ('Pending', 'InProgress'):
                                  return {'status': got['Status'], 'output': got['StandardOutputContent']}
                              time.sleep(0.2)
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref ManagedProfile } }
              Walled: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref ManagedProfile, SecurityGroupIds: [!Ref NoHttpsOut] } }
              Bare: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref BareProfile } }
              NoSessions: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref RunCommandOnlyProfile } }
              Outside: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.33.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              Public: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Outside, CidrBlock: 10.33.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""], MapPublicIpOnLaunch: true } }
              Igw: { Type: AWS::EC2::InternetGateway }
              Attach: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Outside, InternetGatewayId: !Ref Igw } }
              PublicTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Outside } }
              ToInternet: { Type: AWS::EC2::Route, DependsOn: Attach, Properties: { RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw } }
              PublicAssociation: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Public, RouteTableId: !Ref PublicTable } }
              Regional: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref ManagedProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        var ids = await InstanceIdsAsync("App", "Walled", "Bare", "NoSessions", "Regional");

        await UntilAsync(() => HostLog().Contains($"ssm-agent {ids["Walled"]}: ERROR [HealthCheck] error when calling AWS APIs. error details - RequestError: send request failed caused by: Post \"https://ssm.eu-central-1.amazonaws.com/\": dial tcp 10.32.1.", StringComparison.Ordinal), "the walled instance's dial timeout");
        await UntilAsync(() => HostLog().Contains($"ssm-agent {ids["Bare"]}: ERROR [HealthCheck] error when calling AWS APIs. error details - AccessDeniedException: User: ", StringComparison.Ordinal), "the bare instance's access denial");
        await UntilAsync(() => HostLog().Contains($"ssm-agent {ids["NoSessions"]}: ERROR [MessageGatewayService] Failed to create control channel (Session Manager cannot reach the instance), error: AccessDeniedException: User: ", StringComparison.Ordinal), "the control channel's denial");
        Assert.Contains("is not authorized to perform: ssm:UpdateInstanceInformation on resource: arn:aws:ec2:eu-central-1:", HostLog(), StringComparison.Ordinal);
        Assert.DoesNotContain($"ssm-agent {ids["App"]}:", HostLog(), StringComparison.Ordinal);
        Assert.DoesNotContain($"ssm-agent {ids["Regional"]}:", HostLog(), StringComparison.Ordinal);
        var described = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "describe-instance-information", "--filters", $"Key=InstanceIds,Values={ids["App"]},{ids["Walled"]}", "--output", "json");
        var session = await CloisterAsync("session", ids["App"], "--", "sh", "-c", "echo in-session");
        // No endpoint in its VPC: the internet gateway route reaches ssm's and ssmmessages' regional addresses.
        var regional = await CloisterAsync("session", "Regional", "--", "getent", "hosts", "ssmmessages.eu-central-1.amazonaws.com");
        var noChannel = await CloisterAsync("session", "NoSessions", "--", "true");
        var offline = await CloisterAsync("session", "Walled", "--", "true");

        Assert.True(session.ExitCode == 0, session.Error);
        Assert.Equal("in-session\n", session.Output);
        Assert.True(regional.ExitCode == 0, regional.Error);
        Assert.StartsWith("198.18.22.10 ", regional.Output, StringComparison.Ordinal);
        Assert.Equal(1, noChannel.ExitCode);
        Assert.Contains($"An error occurred (TargetNotConnected) when calling the StartSession operation: {ids["NoSessions"]} is not connected.", noChannel.Error, StringComparison.Ordinal);
        Assert.Contains("has no control channel", noChannel.Error, StringComparison.Ordinal);
        Assert.Equal(1, offline.ExitCode);
        Assert.Contains($"SSM Agent is not online: {ids["Walled"]}", offline.Error, StringComparison.Ordinal);
        Assert.True(described.ExitCode == 0, described.Error);
        using (var nodes = JsonDocument.Parse(described.Output))
        {
            var node = Assert.Single(nodes.RootElement.GetProperty("InstanceInformationList").EnumerateArray());
            Assert.Equal(ids["App"], node.GetProperty("InstanceId").GetString());
            Assert.Equal("Online", node.GetProperty("PingStatus").GetString());
            Assert.Equal("Linux", node.GetProperty("PlatformType").GetString());
            Assert.StartsWith("10.32.1.", node.GetProperty("IPAddress").GetString(), StringComparison.Ordinal);
        }

        var sent = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "send-command", "--instance-ids", ids["App"], "--document-name", "AWS-RunShellScript",
            "--parameters", """commands=["getent hosts ssm.eu-central-1.amazonaws.com | cut -d' ' -f1","echo to-stderr >&2"]""", "--query", "Command.CommandId", "--output", "text");
        var failing = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "send-command", "--instance-ids", ids["App"], "--document-name", "AWS-RunShellScript",
            "--parameters", """commands=["echo partial","exit 3"]""", "--query", "Command.CommandId", "--output", "text");
        var slow = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "send-command", "--instance-ids", ids["App"], "--document-name", "AWS-RunShellScript",
            "--parameters", """commands=["echo started","sleep 30"],executionTimeout=["1"]""", "--query", "Command.CommandId", "--output", "text");
        // No control channel: its agent takes the command from the ec2messages endpoint (private DNS, its policy allowing it).
        var viaEc2messages = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "send-command", "--instance-ids", ids["NoSessions"], "--document-name", "AWS-RunShellScript",
            "--parameters", """commands=["echo via-ec2messages"]""", "--query", "Command.CommandId", "--output", "text");
        var refused = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "send-command", "--instance-ids", ids["Walled"], "--document-name", "AWS-RunShellScript", "--parameters", """commands=["true"]""");

        var fromFunction = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("invoke", "operator", $$"""{"instance":"{{ids["App"]}}"}"""), TimeSpan.FromSeconds(60));

        Assert.True(fromFunction is { Ok: true, Invocation.FunctionError: null }, fromFunction?.Invocation?.Payload ?? fromFunction?.Error);
        Assert.Equal("""{"status": "Success", "output": "from-a-function\n"}""", fromFunction!.Invocation!.Payload);
        Assert.True(sent.ExitCode == 0, sent.Error);
        Assert.True(failing.ExitCode == 0, failing.Error);
        Assert.Equal(254, refused.ExitCode);
        Assert.Contains($"(InvalidInstanceId) when calling the SendCommand operation: Instances [[{ids["Walled"]}]] not in a valid state for account", refused.Error, StringComparison.Ordinal);
        Assert.True(viaEc2messages.ExitCode == 0, viaEc2messages.Error);
        var noChannelInvocation = await InvocationUntilAsync("App", viaEc2messages.Output.Trim(), ids["NoSessions"], ended: true);
        Assert.Equal(("Success", "via-ec2messages\n"), (noChannelInvocation.GetProperty("Status").GetString(), noChannelInvocation.GetProperty("StandardOutputContent").GetString()));
        var invocation = await EndedInvocationAsync(sent.Output.Trim(), ids["App"]);
        var failed = await EndedInvocationAsync(failing.Output.Trim(), ids["App"]);
        var timedOut = await EndedInvocationAsync(slow.Output.Trim(), ids["App"]);

        Assert.Equal("Success", invocation.GetProperty("Status").GetString());
        Assert.Equal(0, invocation.GetProperty("ResponseCode").GetInt32());
        Assert.StartsWith("10.32.1.", invocation.GetProperty("StandardOutputContent").GetString(), StringComparison.Ordinal);
        Assert.Equal("to-stderr\n", invocation.GetProperty("StandardErrorContent").GetString());
        Assert.Equal("Failed", failed.GetProperty("Status").GetString());
        Assert.Equal(3, failed.GetProperty("ResponseCode").GetInt32());
        Assert.Equal("partial\n", failed.GetProperty("StandardOutputContent").GetString());
        Assert.Contains("failed to run commands: exit status 3", failed.GetProperty("StandardErrorContent").GetString(), StringComparison.Ordinal);
        Assert.True(slow.ExitCode == 0, slow.Error);
        Assert.Equal(("TimedOut", "ExecutionTimedOut", 137), (timedOut.GetProperty("Status").GetString(), timedOut.GetProperty("StatusDetails").GetString(), timedOut.GetProperty("ResponseCode").GetInt32()));
        Assert.Equal("started\n", timedOut.GetProperty("StandardOutputContent").GetString());
    }

    /// <summary>GetCommandInvocation from the instance, asked again until the invocation has ended.</summary>
    private Task<JsonElement> EndedInvocationAsync(string commandId, string instanceId) => InvocationUntilAsync(instanceId, commandId, instanceId, ended: true);
}
