using Cloister.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Host.Tests;

/// <summary>
/// The sandbox's STS as an instance reaches it: the AWS CLI v2 run on the instance (<c>cloister exec</c>) with its
/// instance profile's role session from IMDS, to <c>sts.{region}.amazonaws.com</c> (the CLI v2's default, regional)
/// and to the global <c>sts.amazonaws.com</c>, over an internet gateway route.
/// </summary>
public sealed class HostRunnerStsTests : HostRunnerTests
{
    private const string Account = "123456789012";

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsStsGetCallerIdentityFromAnInstance_TheInstanceRoleSessionsArnInTheStacksAccountOnTheRegionalAndGlobalNames()
    {
        // The stacks of account 123456789012 (CLOISTER_ACCOUNT_ID for up): STS, the ARNs, the outputs and the table store name it.
        var request = Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(26)}}
              {{Items(string.Empty).Trim()}}
              # No policy at all: GetCallerIdentity needs no permission.
              WebRole:
                Type: AWS::IAM::Role
                Properties: { AssumeRolePolicyDocument: {{AssumedByEc2}} }
              WebProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref WebRole] } }
              # A role the instance's role may not assume: its identity policy does not allow sts:AssumeRole.
              AdminRole:
                Type: AWS::IAM::Role
                Properties: { RoleName: admin, AssumeRolePolicyDocument: {{AssumedByEc2}} }
              Web: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref WebProfile } }
            Outputs:
              Account: { Value: !Ref AWS::AccountId }
              AdminArn: { Value: !GetAtt AdminRole.Arn }
              TableArn: { Value: !GetAtt Items.Arn }
            """) with { AccountId = Account };
        var events = await ProgressAsync(Start(request));
        Assert.True(events[^1].State == "ready", string.Join("\n", events.Select(e => $"{e.Phase} {e.State} {e.Message}")));

        var resolved = await CloisterAsync("exec", "--from", "Web", "--", "getent", "hosts", "sts.eu-central-1.amazonaws.com");
        var regional = await CloisterAsync("exec", "--from", "Web", "--", AwsCli, "sts", "get-caller-identity");
        var global = await CloisterAsync("exec", "--from", "Web", "--", AwsCli, "sts", "get-caller-identity", "--endpoint-url", "https://sts.amazonaws.com");

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("198.18.3.10 ", resolved.Output, StringComparison.Ordinal);
        Assert.True(regional.ExitCode == 0, regional.Error);
        Assert.Matches(@"""Arn"": ""arn:aws:sts::123456789012:assumed-role/[^/]+-WebRole-[A-Z0-9]+/i-[0-9a-f]{17}""", regional.Output);
        Assert.Matches(@"""UserId"": ""AROA[A-Z0-9]+:i-[0-9a-f]{17}""", regional.Output);
        Assert.Contains("\"Account\": \"123456789012\"", regional.Output, StringComparison.Ordinal);
        Assert.True(global.ExitCode == 0, global.Error);
        Assert.Equal(regional.Output, global.Output);

        var assume = await CloisterAsync("exec", "--from", "Web", "--", AwsCli, "sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/admin", "--role-session-name", "escalate");
        Assert.Equal(254, assume.ExitCode);
        Assert.Matches(@"An error occurred \(AccessDenied\) when calling the AssumeRole operation: User: arn:aws:sts::123456789012:assumed-role/[^/]+-WebRole-[A-Z0-9]+/i-[0-9a-f]{17} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin", assume.Error);

        var outputs = Assert.Single((await StackStatusAsync()).Stacks).Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        Assert.Equal(Account, outputs["Account"]);
        Assert.Equal("arn:aws:iam::123456789012:role/admin", outputs["AdminArn"]);
        Assert.Equal("arn:aws:dynamodb:eu-central-1:123456789012:table/items", outputs["TableArn"]);
        Assert.True(TableStoreFiles.Holds(Path.Combine(_state.Tables, Account, "eu-central-1")), "no table store in tables/123456789012/eu-central-1");
        Assert.False(Directory.Exists(Path.Combine(_state.Tables, AccountContext.DefaultAccountId)), "a table store of account 000000000000");
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsStsGetCallerIdentityFromAPrivateSubnetThroughTheInterfaceEndpoint_TheInstanceRoleSessionsArn()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.27.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              Private: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.27.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              EndpointSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to STS from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.27.0.0/16 }]
              StsEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.sts", PrivateDnsEnabled: true, SubnetIds: [!Ref Private], SecurityGroupIds: [!Ref EndpointSecurityGroup] }
              AppRole:
                Type: AWS::IAM::Role
                Properties: { AssumeRolePolicyDocument: {{AssumedByEc2}} }
              AppProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref AppRole] } }
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Private, IamInstanceProfile: !Ref AppProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        Assert.DoesNotContain(events, e => e.State == "warning" && e.Message.Contains("StsEndpoint", StringComparison.Ordinal));

        var resolved = await CloisterAsync("exec", "--from", "App", "--", "getent", "hosts", "sts.eu-central-1.amazonaws.com");
        var identity = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "sts", "get-caller-identity");

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("10.27.1.", resolved.Output, StringComparison.Ordinal);
        Assert.True(identity.ExitCode == 0, identity.Error);
        Assert.Matches(@"""Arn"": ""arn:aws:sts::\d{12}:assumed-role/[^/]+-AppRole-[A-Z0-9]+/i-[0-9a-f]{17}""", identity.Output);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_InstanceAssumesARoleWithASessionPolicyAllowingOnlyGetItem_PutItemDeniedByTheSessionPolicyGetItemAllowed()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(28)}}
              Claims:
                Type: AWS::DynamoDB::Table
                Properties: { TableName: claims, BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }] }
              WebRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: assume, PolicyDocument: { Statement: [{ Effect: Allow, Action: sts:AssumeRole, Resource: "*" }] } }]
              WebProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref WebRole] } }
              WriterRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: writer
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { AWS: !GetAtt WebRole.Arn }, Action: sts:AssumeRole }] }
                  Policies: [{ PolicyName: claims, PolicyDocument: { Statement: [{ Effect: Allow, Action: [dynamodb:GetItem, dynamodb:PutItem], Resource: !GetAtt Claims.Arn }] } }]
              Web: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref WebProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);

        // The session's keys are exported in the same shell, as a user scripting AssumeRole does.
        var script = $$$"""
            set -e
            account=$({{{AwsCli}}} sts get-caller-identity --query Account --output text)
            set -- $({{{AwsCli}}} sts assume-role --role-arn "arn:aws:iam::$account:role/writer" --role-session-name limited \
              --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]}' \
              --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
            export AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3
            set +e
            {{{AwsCli}}} dynamodb put-item --table-name claims --item '{"id":{"S":"c-1"}}'
            echo "put=$?"
            {{{AwsCli}}} dynamodb get-item --table-name claims --key '{"id":{"S":"c-1"}}'
            echo "get=$?"
            """;
        var run = await CloisterAsync("exec", "--from", "Web", "--", "sh", "-c", script);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("put=254", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\(AccessDeniedException\) when calling the PutItem operation: User: arn:aws:sts::\d{12}:assumed-role/writer/limited is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-central-1:\d{12}:table/claims because no session policy allows the dynamodb:PutItem action", run.Error);
        Assert.Contains("get=0", run.Output, StringComparison.Ordinal);
    }
}
