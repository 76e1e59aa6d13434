using System.Diagnostics;
using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// <c>cloister deploy</c> against a running host: the template file edited and deployed again, as with
/// <c>aws cloudformation deploy</c>; what changes live is seen by the next request, connection or invocation, and a change
/// that needs the sandbox rebuilt is refused with nothing changed.
/// </summary>
public sealed class HostRunnerDeployTests : HostRunnerTests
{

    /// <summary>Two peered VPCs (A's table has no route to B yet), a server in B open on 8080 to A, a private API with a MOCK method, a function.</summary>
    private const string DeployedStack = $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          VpcA: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.27.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcA, CidrBlock: 10.27.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          VpcB: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.28.0.0/16 } }
          SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcB, CidrBlock: 10.28.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          Peering: { Type: AWS::EC2::VPCPeeringConnection, Properties: { VpcId: !Ref VpcA, PeerVpcId: !Ref VpcB } }
          RoutesA: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref VpcA } }
          RoutesAOfSubnetA: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref RoutesA } }
          RoutesB: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref VpcB } }
          RoutesBOfSubnetB: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref SubnetB, RouteTableId: !Ref RoutesB } }
          BToA: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref RoutesB, DestinationCidrBlock: 10.27.0.0/16, VpcPeeringConnectionId: !Ref Peering } }
          #ROUTE#
          ServerGroup:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: the server
              VpcId: !Ref VpcB
              SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.27.0.0/16 }]
          Client: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetA } }
          Server: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetB, SecurityGroupIds: [!Ref ServerGroup] } }
          EndpointGroup:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: HTTPS to API Gateway
              VpcId: !Ref VpcA
              SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.27.0.0/16 }]
          ApiEndpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref VpcA, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.execute-api", PrivateDnsEnabled: true, SubnetIds: [!Ref SubnetA], SecurityGroupIds: [!Ref EndpointGroup] }
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Name: deployed
              EndpointConfiguration: { Types: [PRIVATE], VpcEndpointIds: [!Ref ApiEndpoint] }
              Policy: { Statement: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*" }] }
          Hello: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: hello } }
          HelloGet:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              ResourceId: !Ref Hello
              HttpMethod: GET
              AuthorizationType: NONE
              Integration: { Type: MOCK, RequestTemplates: { application/json: '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: "200" }] }
              MethodResponses: [{ StatusCode: "200" }]
          Deployment1: { Type: AWS::ApiGateway::Deployment, DependsOn: HelloGet, Properties: { RestApiId: !Ref Api } }
          Prod: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, StageName: prod, DeploymentId: !Ref Deployment1 } }
          {{GreeterFunction}}
        Outputs:
          Url: { Value: !Sub "https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/hello" }
        """;

    [Fact(Timeout = 600_000)]
    public async Task Deploy_PolicyRouteRuleAndEnvironmentChanged_NextRequestConnectionAndInvocationSeeThem()
    {
        var request = Request(DeployedStack);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;
        var url = status.Stacks.Single().Outputs.Single(o => o.OutputKey == "Url").OutputValue;
        var server = status.Hosts.Single(h => h.Name == "Server").Address;
        var apiId = status.Stacks.Single().Resources.Single(r => r.LogicalResourceId == "Api").PhysicalResourceId;
        await using var listener = await ServeAsync("Server", 9090);
        var before = (
            Api: await HttpStatusAsync("Client", url),
            Path8080: (await CloisterAsync("path", "--from", "Client", "--to", $"{server}:8080")).ExitCode,
            Greeting: await GreetingAsync());

        var template = DeployedStack
            .Replace("#ROUTE#", "AToB: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref RoutesA, DestinationCidrBlock: 10.28.0.0/16, VpcPeeringConnectionId: !Ref Peering } }", StringComparison.Ordinal)
            .Replace("FromPort: 8080, ToPort: 8080", "FromPort: 9090, ToPort: 9090", StringComparison.Ordinal)
            .Replace("Effect: Allow, Principal", "Effect: Deny, Principal", StringComparison.Ordinal)
            .Replace("Deployment1", "Deployment2", StringComparison.Ordinal)
            .Replace("GREETING: hello", "GREETING: bonjour", StringComparison.Ordinal);
        await File.WriteAllTextAsync(request.Templates[0].Path, template);
        var deploy = await CloisterAsync("deploy");
        status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Equal((200, 1, "\"hello\""), before);
        Assert.Equal(403, await HttpStatusAsync("Client", url));
        Assert.Equal("\"bonjour\"", await GreetingAsync());
        Assert.Equal(0, (await CloisterAsync("path", "--from", "Client", "--to", $"{server}:9090")).ExitCode);
        Assert.Equal(1, (await CloisterAsync("path", "--from", "Client", "--to", $"{server}:8080")).ExitCode);
        var connected = await CloisterAsync("exec", "--from", "Client", "--", "curl", "-s", "-m", "5", $"http://{server}:9090/");
        Assert.True(connected.ExitCode == 0, connected.Error);
        Assert.Contains("AToB (AWS::EC2::Route)", deploy.Output, StringComparison.Ordinal);
        Assert.Matches(@"CREATE_COMPLETE\s+stack\s+AToB \(AWS::EC2::Route\)", deploy.Output);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+Greeter \(AWS::Lambda::Function\)", deploy.Output);
        Assert.Equal("UPDATE_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.Equal(apiId, status.Stacks.Single().Resources.Single(r => r.LogicalResourceId == "Api").PhysicalResourceId);
        Assert.Equal(server, status.Hosts.Single(h => h.Name == "Server").Address);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_UnchangedThenSubnetAdded_UpToDateThenRefusedNamingTheSubnetWithNothingChanged()
    {
        const string Template = $$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.29.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.29.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              #SUBNET#
              {{GreeterFunction}}
            """;
        var request = Request(Template);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        var unchanged = await CloisterAsync("deploy");
        // The CLI sends the running stacks' account; a request of another account (or region) is another deployment.
        var otherAccount = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("deploy", Deploy: request with { AccountId = "111122223333" }), TimeSpan.FromSeconds(30));
        await File.WriteAllTextAsync(request.Templates[0].Path, Template
            .Replace("#SUBNET#", "Subnet2: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.29.2.0/24, AvailabilityZone: !Select [0, !GetAZs \"\"] } }", StringComparison.Ordinal)
            .Replace("GREETING: hello", "GREETING: bonjour", StringComparison.Ordinal));
        var refused = await CloisterAsync("deploy");
        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;

        Assert.True(unchanged.ExitCode == 0, unchanged.Output + unchanged.Error);
        Assert.Contains("No changes to deploy. Stack stack is up to date", unchanged.Output, StringComparison.Ordinal);
        Assert.False(otherAccount!.Ok);
        Assert.Equal(
            "The stacks run in account 000000000000, region eu-central-1; a deployment updates them there, not in account 111122223333, region eu-central-1. Nothing was changed.",
            otherAccount.Error);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Subnet2 (AWS::EC2::Subnet, stack stack): added; a running sandbox cannot add subnets: ./cloister down && ./cloister up", refused.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Greeter", refused.Output, StringComparison.Ordinal);
        Assert.Equal("\"hello\"", await GreetingAsync());
        Assert.Equal("CREATE_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.DoesNotContain(status.Stacks.Single().Resources, r => r.LogicalResourceId == "Subnet2");
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_CodeFolderEditedInPlace_NextInvocationRunsTheNewCode()
    {
        // The template does not change, the function's folder does (as with sam deploy after editing a handler).
        var code = Directory.CreateDirectory(Path.Combine(_state.Root, "greeter")).FullName;
        await File.WriteAllTextAsync(Path.Combine(code, "index.py"), "def handler(event, context):\n    return 'hello'\n");
        var request = Request("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Greeter: { Type: AWS::Serverless::Function, Properties: { FunctionName: greeter, Runtime: python3.12, Handler: index.handler, CodeUri: greeter/ } }
            """);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var before = await GreetingAsync();

        await File.WriteAllTextAsync(Path.Combine(code, "index.py"), "def handler(event, context):\n    return 'bonjour'\n");
        var deploy = await CloisterAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+Greeter \(AWS::Lambda::Function\)", deploy.Output);
        Assert.Equal(("\"hello\"", "\"bonjour\""), (before, await GreetingAsync()));
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_PermissionAddedForARole_ItsInstanceRefusedBeforeInvokesAfterThroughTheInvokeApi()
    {
        const string Template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.31.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.31.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              EndpointSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to Lambda from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.31.0.0/16 }]
              LambdaEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.lambda", PrivateDnsEnabled: true, SubnetIds: [!Ref Subnet], SecurityGroupIds: [!Ref EndpointSecurityGroup] }
              Echo: {{EchoFunction}}
              # No identity policy: only the function's resource-based policy can let this role invoke.
              CallerRole: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: {{AssumedByEc2}} } }
              CallerProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref CallerRole] } }
              Caller: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref CallerProfile } }
              #PERMISSION#
            """;
        var request = Request(Template);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var output = Path.Combine(_state.Root, "out.json");
        string[] invoke = ["exec", "--from", "Caller", "--", AwsCli, "lambda", "invoke", "--function-name", "echo", "--cli-binary-format", "raw-in-base64-out", "--payload", """{"n":1}""", output];
        var before = await CloisterAsync(invoke);

        await File.WriteAllTextAsync(request.Templates[0].Path, Template.Replace(
            "#PERMISSION#",
            "CallerMayInvoke: { Type: AWS::Lambda::Permission, Properties: { FunctionName: !Ref Echo, Action: lambda:InvokeFunction, Principal: !GetAtt CallerRole.Arn } }",
            StringComparison.Ordinal));
        var deploy = await CloisterAsync("deploy");
        var after = await CloisterAsync(invoke);

        Assert.Equal(254, before.ExitCode);
        Assert.Contains("(AccessDeniedException)", before.Error, StringComparison.Ordinal);
        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"CREATE_COMPLETE\s+stack\s+CallerMayInvoke \(AWS::Lambda::Permission\)", deploy.Output);
        Assert.True(after.ExitCode == 0, after.Error);
        Assert.Equal("""{"echo": {"n": 1}}""", await ReadOnInstanceAsync("Caller", output));
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_TablesRemoved_DefaultPolicyDeletesTheTableAndItsItemsRetainKeepsThem()
    {
        const string Tables = """
              Gone: { Type: AWS::DynamoDB::Table, Properties: { TableName: gone, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
              Kept: { Type: AWS::DynamoDB::Table, DeletionPolicy: Retain, Properties: { TableName: kept, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
            """;
        var request = Request(TablesStack.Replace("#TABLES#", Tables, StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        foreach (var table in new[] { "gone", "kept" })
        {
            var put = await DynamoDbAsync("put-item", "--table-name", table, "--item", """{"id":{"S":"one"}}""");
            Assert.True(put.ExitCode == 0, put.Error);
        }

        await File.WriteAllTextAsync(request.Templates[0].Path, TablesStack.Replace("#TABLES#", string.Empty, StringComparison.Ordinal));
        var deploy = await CloisterAsync("deploy");
        var gone = await DynamoDbAsync("describe-table", "--table-name", "gone");
        var kept = await DynamoDbAsync("get-item", "--table-name", "kept", "--key", """{"id":{"S":"one"}}""", "--output", "text");

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Matches(@"DELETE_COMPLETE\s+stack\s+Gone \(AWS::DynamoDB::Table\)", deploy.Output);
        Assert.Matches(@"DELETE_SKIPPED\s+stack\s+Kept \(AWS::DynamoDB::Table\)", deploy.Output);
        Assert.Equal(254, gone.ExitCode);
        Assert.Contains("(ResourceNotFoundException)", gone.Error, StringComparison.Ordinal);
        Assert.True(kept.ExitCode == 0, kept.Error);
        Assert.Contains("one", kept.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_RetainAddedAloneThenTableRemoved_UpToDateThenKept()
    {
        const string Template = """
            Resources:
              Items: { Type: AWS::DynamoDB::Table, #POLICY#Properties: { TableName: items, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
              Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: kept-log } }
            """;
        var request = Request(Template.Replace("#POLICY#", string.Empty, StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        // A policy is no property: CloudFormation updates no resource, but the stack's template now says Retain.
        await File.WriteAllTextAsync(request.Templates[0].Path, Template.Replace("#POLICY#", "DeletionPolicy: Retain, ", StringComparison.Ordinal));
        var policy = await CloisterAsync("deploy");
        await File.WriteAllTextAsync(request.Templates[0].Path, Template.Split('\n').Where(l => !l.Contains("Items:", StringComparison.Ordinal)).Aggregate((a, b) => a + "\n" + b));
        var removed = await CloisterAsync("deploy");

        Assert.True(policy.ExitCode == 0, policy.Output + policy.Error);
        Assert.Contains("No changes to deploy. Stack stack is up to date", policy.Output, StringComparison.Ordinal);
        Assert.True(removed.ExitCode == 0, removed.Output + removed.Error);
        Assert.Matches(@"DELETE_SKIPPED\s+stack\s+Items \(AWS::DynamoDB::Table\)", removed.Output);
        Assert.Contains("DeletionPolicy Retain; the table and its data are kept", removed.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Deploy_OutputAddedAlone_StackUpdatedWithItThenUpToDate()
    {
        const string Template = """
            Resources:
              Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: outputs-log } }
            Outputs:
              LogName: { Value: !Ref Log }
            #OUTPUT#
            """;
        var request = Request(Template.Replace("#OUTPUT#", string.Empty, StringComparison.Ordinal));
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        // CloudFormation runs a change set of outputs alone (no resource changes): the stack is updated with them.
        await File.WriteAllTextAsync(request.Templates[0].Path, Template.Replace("#OUTPUT#", "  Region: { Value: !Ref AWS::Region }", StringComparison.Ordinal));
        var added = await CloisterAsync("deploy");
        var outputs = await CloisterAsync("outputs");
        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;
        var again = await CloisterAsync("deploy");

        Assert.True(added.ExitCode == 0, added.Output + added.Error);
        Assert.Matches(@"UPDATE_COMPLETE\s+stack\s+Successfully created/updated stack - stack", added.Output);
        Assert.DoesNotContain("No changes to deploy", added.Output, StringComparison.Ordinal);
        Assert.Contains("Region", outputs.Output, StringComparison.Ordinal);
        Assert.Equal("UPDATE_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("No changes to deploy. Stack stack is up to date", again.Output, StringComparison.Ordinal);
    }

    /// <summary>An HTTP server on <paramref name="port"/> of <paramref name="host"/> (<c>cloister exec</c>), stopped when disposed.</summary>
    private async Task<IAsyncDisposable> ServeAsync(string host, int port)
    {
        var program = HostLauncher.CloisterProgram(AppContext.BaseDirectory);
        var start = new ProcessStartInfo(program[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in program[1..].Concat(["exec", "--from", host, "--", "python3", "-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLOISTER_HOME"] = _state.Root;
        var server = new ServerProcess(Process.Start(start)!);
        await Task.Yield();
        return server;
    }

    private sealed class ServerProcess(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
