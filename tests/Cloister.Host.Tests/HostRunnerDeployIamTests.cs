using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// <c>cloister deploy</c> of IAM and endpoint policy changes against a running host: an instance's AWS CLI, with the
/// credentials its instance profile's metadata handed it before the deployment, is judged by the new policies from its
/// next request — its role's, and the DynamoDB gateway endpoint's it reaches the table through.
/// </summary>
public sealed class HostRunnerDeployIamTests : HostRunnerTests
{
    /// <summary>A VPC whose subnet reaches DynamoDB through a gateway endpoint, a table, an instance whose role may only GetItem.</summary>
    private const string IamDeployedStack = $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.33.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.33.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          Routes: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
          RoutesOfSubnet: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Subnet, RouteTableId: !Ref Routes } }
          TablesEndpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties:
              VpcId: !Ref Vpc
              ServiceName: !Sub "com.amazonaws.${AWS::Region}.dynamodb"
              RouteTableIds: [!Ref Routes]
              PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: "*" }] }
          Claims:
            Type: AWS::DynamoDB::Table
            Properties: { TableName: claims, BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }] }
          AppRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {{AssumedByEc2}}
              Policies: [{ PolicyName: claims, PolicyDocument: { Statement: [{ Effect: Allow, Action: [dynamodb:GetItem], Resource: !GetAtt Claims.Arn }] } }]
          AppProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref AppRole] } }
          App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref AppProfile } }
        """;

    [Fact(Timeout = 300_000)]
    public async Task Deploy_RoleGivenPutItem_SameInstanceCredentialsDeniedThenAllowed()
    {
        var request = Request(IamDeployedStack);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var keyBefore = await InstanceAccessKeyAsync("App");
        var denied = await PutClaimAsync("App");

        await File.WriteAllTextAsync(request.Templates[0].Path, IamDeployedStack.Replace("Action: [dynamodb:GetItem]", "Action: [dynamodb:GetItem, dynamodb:PutItem]", StringComparison.Ordinal));
        var deploy = await CloisterAsync("deploy");
        var allowed = await PutClaimAsync("App");

        Assert.Equal(254, denied.ExitCode);
        Assert.Matches(@"\(AccessDeniedException\).*assumed-role/[^/]+/i-[0-9a-f]+ is not authorized to perform: dynamodb:PutItem .*because no identity-based policy allows", denied.Error);
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+AppRole \(AWS::IAM::Role\)", deploy.Output);
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal(keyBefore, await InstanceAccessKeyAsync("App"));
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TablesEndpointPolicyNarrowedThenWidened_NextPutItemDeniedByTheEndpointThenAllowed()
    {
        var allowed = IamDeployedStack.Replace("Action: [dynamodb:GetItem]", "Action: [dynamodb:GetItem, dynamodb:PutItem]", StringComparison.Ordinal);
        var request = Request(allowed);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var before = await PutClaimAsync("App");

        await File.WriteAllTextAsync(request.Templates[0].Path, allowed.Replace("Action: [\"dynamodb:GetItem\", \"dynamodb:PutItem\"]", "Action: [\"dynamodb:GetItem\"]", StringComparison.Ordinal));
        var narrowed = await CloisterAsync("deploy");
        var denied = await PutClaimAsync("App");
        await File.WriteAllTextAsync(request.Templates[0].Path, allowed);
        var widened = await CloisterAsync("deploy");
        var after = await PutClaimAsync("App");

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.True(narrowed.ExitCode == 0, narrowed.Output + narrowed.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+TablesEndpoint \(AWS::EC2::VPCEndpoint\)", narrowed.Output);
        Assert.Equal(254, denied.ExitCode);
        Assert.Contains("because no VPC endpoint policy allows the dynamodb:PutItem action", denied.Error, StringComparison.Ordinal);
        Assert.True(widened.ExitCode == 0, widened.Output + widened.Error);
        Assert.True(after.ExitCode == 0, after.Error);
    }

    /// <summary>A VPC reaching Systems Manager through an ssm interface endpoint, an instance whose role may read parameters, two template parameters.</summary>
    private const string ParameterStack = $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.34.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.34.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          EndpointGroup:
            Type: AWS::EC2::SecurityGroup
            Properties: { GroupDescription: HTTPS to Systems Manager, VpcId: !Ref Vpc, SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.34.0.0/16 }] }
          SsmEndpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ssm", PrivateDnsEnabled: true, SubnetIds: [!Ref Subnet], SecurityGroupIds: [!Ref EndpointGroup] }
          AppRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {{AssumedByEc2}}
              Policies: [{ PolicyName: read, PolicyDocument: { Statement: [{ Effect: Allow, Action: [ssm:GetParameter, ssm:GetParameterHistory], Resource: "*" }] } }]
          AppProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref AppRole] } }
          App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref AppProfile } }
          Setting: { Type: AWS::SSM::Parameter, Properties: { Name: /app/setting, Type: String, Value: one } }
          Retired: { Type: AWS::SSM::Parameter, Properties: { Name: /app/retired, Type: String, Value: old } }
        """;

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TemplateParametersChangedAddedAndRemoved_NewVersionNewParameterAndNotFound()
    {
        var request = Request(ParameterStack);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var before = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/app/retired");

        await File.WriteAllTextAsync(request.Templates[0].Path, string.Join('\n', ParameterStack.Split('\n').Where(l => !l.Contains("Retired", StringComparison.Ordinal)))
            .Replace("Value: one", "Value: two", StringComparison.Ordinal)
            + "\n  Added: { Type: AWS::SSM::Parameter, Properties: { Name: /app/added, Type: String, Value: new } }\n");
        var deploy = await CloisterAsync("deploy");
        var setting = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/app/setting");
        var added = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/app/added");
        var retired = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/app/retired");

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+Setting \(AWS::SSM::Parameter\)", deploy.Output);
        Assert.Matches(@"DELETE_COMPLETE\s+stack\s+Retired \(AWS::SSM::Parameter\)", deploy.Output);
        Assert.True(setting.ExitCode == 0, setting.Error);
        Assert.Contains("\"Value\": \"two\"", setting.Output, StringComparison.Ordinal);
        Assert.Contains("\"Version\": 2", setting.Output, StringComparison.Ordinal);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("\"Value\": \"new\"", added.Output, StringComparison.Ordinal);
        Assert.Equal(254, retired.ExitCode);
        Assert.Contains("ParameterNotFound", retired.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_RoleGivenPutItem_WarmFunctionsNextPutItemOnItsOpenConnectionAllowed()
    {
        // boto3's client is made once per environment, so its credentials and its pooled connection to DynamoDB are
        // the same before and after the deployment: only the role's policies change.
        const string Template = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Claims:
                Type: AWS::DynamoDB::Table
                Properties: { TableName: claims, BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }] }
              WriterRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies: [{ PolicyName: claims, PolicyDocument: { Statement: [{ Effect: Allow, Action: [dynamodb:GetItem], Resource: !GetAtt Claims.Arn }] } }]
              Writer:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: writer
                  Runtime: python3.12
                  Handler: index.handler
                  Role: !GetAtt WriterRole.Arn
                  Timeout: 30
                  Code:
                    ZipFile: |
                      import boto3, os
                      client = boto3.client('dynamodb')
                      def handler(event, context):
                          try:
                              client.put_item(TableName='claims', Item={'id': {'S': 'c-1'}})
                              return os.environ['AWS_ACCESS_KEY_ID'] + ' ok'
                          except client.exceptions.ClientError as error:
                              return os.environ['AWS_ACCESS_KEY_ID'] + ' ' + error.response['Error']['Code']
            """;
        var request = Request(Template);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var denied = await InvokeTextAsync("writer");

        await File.WriteAllTextAsync(request.Templates[0].Path, Template.Replace("Action: [dynamodb:GetItem]", "Action: [dynamodb:GetItem, dynamodb:PutItem]", StringComparison.Ordinal));
        var deploy = await CloisterAsync("deploy");
        var allowed = await InvokeTextAsync("writer");

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.EndsWith(" AccessDeniedException\"", denied, StringComparison.Ordinal);
        Assert.Equal(denied.Split(' ')[0] + " ok\"", allowed);
    }

    /// <summary>What <paramref name="function"/> answers now, as <c>cloister invoke</c> prints it.</summary>
    private async Task<string> InvokeTextAsync(string function)
    {
        var reply = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("invoke", function, "{}"), TimeSpan.FromSeconds(60));
        Assert.True(reply is { Ok: true }, reply?.Error);
        return reply!.Invocation!.Payload;
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_SsmInterfaceEndpointPolicyGiven_NextGetParameterDeniedByTheEndpoint()
    {
        var request = Request(ParameterStack);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var before = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/app/setting");

        await File.WriteAllTextAsync(request.Templates[0].Path, ParameterStack.Replace(
            "SecurityGroupIds: [!Ref EndpointGroup] }",
            "SecurityGroupIds: [!Ref EndpointGroup], PolicyDocument: { Statement: [{ Effect: Allow, Principal: \"*\", Action: ssm:GetParameterHistory, Resource: \"*\" }] } }",
            StringComparison.Ordinal));
        var deploy = await CloisterAsync("deploy");
        var after = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/app/setting");

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+SsmEndpoint \(AWS::EC2::VPCEndpoint\)", deploy.Output);
        Assert.Equal(254, after.ExitCode);
        Assert.Contains("because no VPC endpoint policy allows the ssm:GetParameter action", after.Error, StringComparison.Ordinal);
    }

    /// <summary>The AWS CLI's <c>put-item</c> of a claim into <c>claims</c> from <paramref name="host"/>.</summary>
    private Task<(int ExitCode, string Output, string Error)> PutClaimAsync(string host) =>
        CloisterAsync("exec", "--from", host, "--", AwsCli, "dynamodb", "put-item", "--table-name", "claims", "--item", """{"id":{"S":"c-1"}}""");

    /// <summary>The access key id the AWS CLI on <paramref name="host"/> signs with (its instance profile's, from the metadata service).</summary>
    private async Task<string> InstanceAccessKeyAsync(string host)
    {
        var exported = await CloisterAsync("exec", "--from", host, "--", AwsCli, "configure", "export-credentials", "--format", "env-no-export");
        Assert.True(exported.ExitCode == 0, exported.Error);
        return exported.Output.Split('\n').Single(l => l.StartsWith("AWS_ACCESS_KEY_ID=", StringComparison.Ordinal));
    }
}
