using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Network;
using Cloister.Tests.Shared;

namespace Cloister.Host.Tests;

/// <summary>
/// The stack host process as <c>cloister up</c> starts it (<see cref="HostLauncher"/>'s command line with the cloister
/// apphost built next to these tests, a fresh state folder): what it reports on the progress stream, which ends when the
/// CLI detaches, is also in <c>logs/host.log</c>. The base of one test class per subject, so that xunit runs subjects
/// side by side (it runs one class's tests in turn); each test has a state folder, and so a namespace prefix, of its own.
/// </summary>
public abstract class HostRunnerTests : IAsyncLifetime
{
    private protected readonly StatePaths _state = new(Directory.CreateTempSubdirectory("cloister-host-").FullName);
    private protected Process? _host;

    private protected string Prefix => SandboxOptions.ForState(_state).Prefix;

    private protected string HostLogPath => Path.Combine(_state.Logs, "host.log");

    /// <summary>
    /// A function whose published version wants 40 provisioned environments out of the unreserved pool of 32: Lambda
    /// refuses it when it is deployed (the functions module, at apply time; the template is valid).
    /// </summary>
    private protected const string RefusedFunction = """
              Hog: { Type: AWS::Lambda::Function, Properties: { FunctionName: hog, Runtime: python3.12, Handler: index.handler, Code: { ZipFile: "def handler(event, context):\n    return 1\n" } } }
              HogVersion: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Hog, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 40 } } }
            """;

    /// <summary>The function <c>greeter</c>, answering its <c>GREETING</c> variable (YAML flow style).</summary>
    private protected const string GreeterFunction = """Greeter: { Type: AWS::Lambda::Function, Properties: { FunctionName: greeter, Runtime: python3.12, Handler: index.handler, Environment: { Variables: { GREETING: hello } }, Code: { ZipFile: "import os\ndef handler(event, context):\n    return os.environ['GREETING']\n" } } }""";

    /// <summary>A VPC whose instance <c>User</c> may make every DynamoDB call through the gateway endpoint; its tables (or more) in place of <c>#TABLES#</c>.</summary>
    private protected const string TablesStack = $$"""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.32.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.32.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          Routes: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
          RoutesOfSubnet: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Subnet, RouteTableId: !Ref Routes } }
          DynamoDbEndpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.dynamodb", VpcEndpointType: Gateway, RouteTableIds: [!Ref Routes] } }
          UserRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {{AssumedByEc2}}
              Policies: [{ PolicyName: tables, PolicyDocument: { Statement: [{ Effect: Allow, Action: "dynamodb:*", Resource: "*" }] } }]
          UserProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref UserRole] } }
          User: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref UserProfile } }
        #TABLES#
        """;

    /// <summary>The AWS CLI v2 (a v1 may come first on PATH).</summary>
    private protected const string AwsCli = "/usr/bin/aws";

    /// <summary>The function both templates call, <c>echo</c>, answering <c>{"echo": EVENT}</c> (YAML flow style).</summary>
    private protected const string EchoFunction = """{ Type: AWS::Lambda::Function, Properties: { FunctionName: echo, Runtime: python3.12, Handler: index.handler, Code: { ZipFile: "def handler(event, context):\n    return {\"echo\": event}\n" } } }""";

    /// <summary>An instance role's trust policy.</summary>
    private protected const string AssumedByEc2 = "{ Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }";

    /// <summary>A table added to the template between two runs, its name generated too.</summary>
    private protected const string AddedGeneratedTable = """
          Added: { Type: AWS::DynamoDB::Table, Properties: { BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
        """;

    /// <summary>The table <c>items</c>, its settings in place of <c>#SETTINGS#</c>.</summary>
    private protected const string ItemsTable = """
              Items: { Type: AWS::DynamoDB::Table, Properties: { TableName: items, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]#SETTINGS# } }
            """;

    /// <summary>A table whose name CloudFormation generates (<c>stack-Items-…</c>), key <c>id</c> of type <c>#TYPE#</c>.</summary>
    private protected const string GeneratedItems = """
          Items: { Type: AWS::DynamoDB::Table, Properties: { BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: #TYPE# }] } }
        """;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is { HasExited: false } host)
        {
            await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("down"), TimeSpan.FromSeconds(10));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await host.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                host.Kill(entireProcessTree: true);
            }
        }

        _host?.Dispose();
        await Sandbox.CleanupAsync(Prefix);
        Directory.Delete(_state.Root, recursive: true);
    }

    /// <summary>
    /// A one-VPC deployment whose bring-up is held in its functions phase for as long as <paramref name="init"/> (a
    /// Python module) runs: the init of a version's one provisioned environment, which the deploy waits for.
    /// <paramref name="resources"/> (template lines, indented as resources) are deployed too, those of an earlier phase
    /// before the hold.
    /// </summary>
    private protected DeployRequest HeldInFunctions(string cidr, string init, string resources = "") => Request($$"""
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: {{cidr}} }
        {{resources}}
          Held:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.11
              Handler: index.handler
              Code:
                ZipFile: |
        {{string.Concat(init.Split('\n').Select(line => "              " + line + "\n"))}}
          HeldVersion:
            Type: AWS::Lambda::Version
            Properties: { FunctionName: !Ref Held, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } }
        """);

    /// <summary>Reads the progress stream until an event of <paramref name="phase"/> arrives.</summary>
    private protected static async Task UntilPhaseAsync(Process host, string phase)
    {
        while (await host.StandardOutput.ReadLineAsync() is { } line && JsonSerializer.Deserialize(line, HostJson.Default.DeployEvent)!.Phase != phase)
        {
        }
    }

    /// <summary>A deployment of <paramref name="template"/> (one stack, <c>stack</c>, in eu-central-1), its file in the state folder.</summary>
    private protected DeployRequest Request(string template)
    {
        var path = Path.Combine(_state.Root, "stack.yaml");
        File.WriteAllText(path, template);
        return new DeployRequest([new DeployTemplate(path, "stack", ImmutableDictionary<string, string>.Empty)], "eu-central-1", false, ImmutableDictionary<string, string>.Empty);
    }

    /// <summary>Writes the request where the host reads it and starts the host as <c>up</c> does.</summary>
    private protected Process Start(DeployRequest request)
    {
        Directory.CreateDirectory(_state.Runtime);
        File.WriteAllText(HostRunner.RequestPath(_state), JsonSerializer.Serialize(request, HostJson.Default.DeployRequest));
        _host = Process.Start(HostLauncher.StartInfo(_state, HostLauncher.CloisterProgram(AppContext.BaseDirectory)))!;
        _host.StandardInput.Close();
        return _host;
    }

    /// <summary>The progress events until the stacks are ready or the host ends its output.</summary>
    private protected static async Task<List<DeployEvent>> ProgressAsync(Process host)
    {
        var events = new List<DeployEvent>();
        while (await host.StandardOutput.ReadLineAsync() is { } line)
        {
            var deployEvent = JsonSerializer.Deserialize(line, HostJson.Default.DeployEvent)!;
            events.Add(deployEvent);
            if (deployEvent.State == "ready")
            {
                break;
            }
        }

        return events;
    }

    private protected string HostLog() => File.Exists(HostLogPath) ? File.ReadAllText(HostLogPath) : string.Empty;

    /// <summary>Waits for <paramref name="condition"/>: log lines are written by a background writer.</summary>
    private protected async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Not seen within 30 s: {what}. host.log:\n{HostLog()}");
            await Task.Delay(100);
        }
    }

    private protected static async Task<bool> PauseAsync()
    {
        await Task.Delay(250);
        return true;
    }

    /// <summary>
    /// <see cref="TablesStack"/> with the function <c>greeter</c> answering <paramref name="greeting"/> and
    /// <paramref name="more"/> resources.
    /// </summary>
    private protected static string RollbackStack(string greeting, params string[] more) =>
        TablesStack.Replace("#TABLES#", string.Join('\n', ["  " + GreeterFunction.Replace("GREETING: hello", "GREETING: " + greeting, StringComparison.Ordinal), .. more]), StringComparison.Ordinal);

    /// <summary>What <c>status</c> shows now.</summary>
    private protected async Task<Cloister.Host.Status.StackStatus> StackStatusAsync() =>
        (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;

    /// <summary>Takes the stacks down (the state folder, its tables with it, stays) and waits for the host to end.</summary>
    private protected async Task DownAsync()
    {
        await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("down"), TimeSpan.FromSeconds(30));
        await _host!.WaitForExitAsync();
        _host.Dispose();
    }

    private protected static string Items(string settings) => ItemsTable.Replace("#SETTINGS#", settings, StringComparison.Ordinal);

    /// <summary><c>aws dynamodb ...</c> on the instance <c>User</c>, with its instance profile's credentials.</summary>
    private protected Task<(int ExitCode, string Output, string Error)> DynamoDbAsync(params string[] arguments) =>
        CloisterAsync(["exec", "--from", "User", "--", AwsCli, "dynamodb", .. arguments]);

    /// <summary>What the function <c>greeter</c> answers now.</summary>
    private protected async Task<string> GreetingAsync()
    {
        var reply = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("invoke", "greeter", "{}"), TimeSpan.FromSeconds(60));
        Assert.True(reply is { Ok: true }, reply?.Error);
        return reply!.Invocation!.Payload;
    }

    /// <summary>The HTTP status of a GET of <paramref name="url"/> from <paramref name="host"/> (curl through <c>cloister exec</c>).</summary>
    private protected async Task<int> HttpStatusAsync(string host, string url)
    {
        var result = await CloisterAsync("exec", "--from", host, "--", "curl", "-s", "-m", "20", "-o", "/dev/null", "-w", "%{http_code}", url);
        Assert.True(result.ExitCode == 0, $"curl failed ({result.ExitCode}): {result.Error}");
        return int.Parse(result.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A file's text as <paramref name="instance"/> sees it (each instance has a root file system of its own, so what a
    /// command wrote there is not on this machine), or null when the instance has no such file.
    /// </summary>
    private protected async Task<string?> ReadOnInstanceAsync(string instance, string path)
    {
        var read = await CloisterAsync("exec", "--from", instance, "--", "cat", path);
        return read.ExitCode == 0 ? read.Output : null;
    }

    /// <summary>The <c>cloister</c> built next to these tests, on this test's state folder.</summary>
    private protected async Task<(int ExitCode, string Output, string Error)> CloisterAsync(params string[] arguments)
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

    /// <summary>The instance id the metadata service gives <paramref name="host"/> (IMDSv2).</summary>
    private protected async Task<string> InstanceIdAsync(string host)
    {
        var script = "t=$(curl -s -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) && " +
            "curl -s -m 5 -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/instance-id";
        var (exitCode, output, error) = await CloisterAsync("exec", "--from", host, "--", "sh", "-c", script);
        Assert.True(exitCode == 0, error);
        return output.Trim();
    }

    /// <summary>The instance ids of <paramref name="logicalIds"/>, by logical id, each as <see cref="InstanceIdAsync"/> reads it.</summary>
    private protected async Task<Dictionary<string, string>> InstanceIdsAsync(params string[] logicalIds)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var logicalId in logicalIds)
        {
            ids[logicalId] = await InstanceIdAsync(logicalId);
        }

        return ids;
    }

    /// <summary>A template's VPC <c>10.{second}.0.0/16</c> with a public subnet routed to an internet gateway (the regional addresses), as resource lines of <c>Resources</c>.</summary>
    private protected static string PublicSubnet(int second) => string.Join("\n  ", [
        $"Vpc: {{ Type: AWS::EC2::VPC, Properties: {{ CidrBlock: 10.{second}.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true }} }}",
        $"Public: {{ Type: AWS::EC2::Subnet, Properties: {{ VpcId: !Ref Vpc, CidrBlock: 10.{second}.1.0/24, AvailabilityZone: !Select [0, !GetAZs \"\"], MapPublicIpOnLaunch: true }} }}",
        "Igw: { Type: AWS::EC2::InternetGateway }",
        "Attach: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw } }",
        "PublicTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }",
        "ToInternet: { Type: AWS::EC2::Route, DependsOn: Attach, Properties: { RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw } }",
        "PublicAssociation: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Public, RouteTableId: !Ref PublicTable } }",
    ]);

    /// <summary>
    /// The REGIONAL REST API <c>Api</c> called <paramref name="name"/>, whose root's GET proxies to the function
    /// <c>Hello</c>, deployed to the stage <c>prod</c>, as resource lines of <c>Resources</c>.
    /// </summary>
    private protected static string RegionalApiOfHello(string name) => string.Join("\n  ", [
        $"Api: {{ Type: AWS::ApiGateway::RestApi, Properties: {{ Name: {name}, EndpointConfiguration: {{ Types: [REGIONAL] }} }} }}",
        "Get:",
        "  Type: AWS::ApiGateway::Method",
        "  Properties:",
        "    RestApiId: !Ref Api",
        "    ResourceId: !GetAtt Api.RootResourceId",
        "    HttpMethod: GET",
        "    AuthorizationType: NONE",
        "    Integration: { Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Hello.Arn}/invocations\" }",
        "Permission: { Type: AWS::Lambda::Permission, Properties: { FunctionName: !Ref Hello, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com } }",
        "Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api, StageName: prod } }",
    ]);

    /// <summary>
    /// The role <c>{name}Role</c> of an SSM managed instance (<c>AmazonSSMManagedInstanceCore</c>) that may also call
    /// <paramref name="actions"/> (the items of a YAML flow list) as an operator does, and its instance profile
    /// <c>{name}Profile</c>, as resource lines of <c>Resources</c>.
    /// </summary>
    private protected static string ManagedInstanceRole(string name, string actions) => string.Join("\n  ", [
        $"{name}Role:",
        "  Type: AWS::IAM::Role",
        "  Properties:",
        $"    AssumeRolePolicyDocument: {AssumedByEc2}",
        "    ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]",
        $"    Policies: [{{ PolicyName: operate, PolicyDocument: {{ Statement: [{{ Effect: Allow, Action: [{actions}], Resource: \"*\" }}] }} }}]",
        $"{name}Profile: {{ Type: AWS::IAM::InstanceProfile, Properties: {{ Roles: [!Ref {name}Role] }} }}",
    ]);

    /// <summary>GetCommandInvocation from <paramref name="from"/>, asked again until the invocation has ended (or, unless <paramref name="ended"/>, runs).</summary>
    private protected async Task<JsonElement> InvocationUntilAsync(string from, string commandId, string instanceId, bool ended)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var got = await CloisterAsync("exec", "--from", from, "--", AwsCli, "ssm", "get-command-invocation", "--command-id", commandId, "--instance-id", instanceId, "--output", "json");
            Assert.True(got.ExitCode == 0, got.Error);
            using var answer = JsonDocument.Parse(got.Output);
            var status = answer.RootElement.GetProperty("Status").GetString();
            if (ended ? status is not ("Pending" or "InProgress" or "Cancelling") : status == "InProgress")
            {
                return answer.RootElement.Clone();
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"command {commandId} is still {status} after 60 s");
        }
    }

    /// <summary>Waits until the agents of <paramref name="instanceIds"/> are online managed nodes.</summary>
    private protected async Task UntilOnlineAsync(params string[] instanceIds)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var described = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "describe-instance-information", "--filters", "Key=PingStatus,Values=Online", "--query", "InstanceInformationList[].InstanceId", "--output", "json");
            if (described.ExitCode == 0 && instanceIds.All(JsonSerializer.Deserialize<string[]>(described.Output)!.Contains))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{string.Join(", ", instanceIds)} not online after 60 s: {described.Output}{described.Error}");
        }
    }

    /// <summary>Runs <paramref name="request"/>, puts the item <c>one</c> into its table <c>Items</c>, then <c>down</c>; the table's name.</summary>
    private protected async Task<string> UpPutAnItemInItemsAndDownAsync(DeployRequest request)
    {
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);
        var name = Physical((await StackStatusAsync()).Stacks.Single(), "Items");
        var put = await DynamoDbAsync("put-item", "--table-name", name, "--item", """{"id":{"S":"one"}}""");
        Assert.True(put.ExitCode == 0, put.Error);
        await DownAsync();
        return name;
    }

    /// <summary><see cref="TablesStack"/> under SAM's transform, with <paramref name="parts"/> in place of its tables.</summary>
    private protected static string SamTablesStack(params string[] parts) =>
        TablesStack
            .Replace("AWSTemplateFormatVersion: \"2010-09-09\"", "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31", StringComparison.Ordinal)
            .Replace("#TABLES#", string.Join('\n', parts), StringComparison.Ordinal);

    private protected static string Generated(string keyType) => GeneratedItems.Replace("#TYPE#", keyType, StringComparison.Ordinal);

    private protected static string Physical(Status.StackInfo stack, string logicalId) =>
        stack.Resources.Single(r => r.LogicalResourceId == logicalId).PhysicalResourceId;

    /// <summary>The table names of <c>aws dynamodb list-tables --query TableNames --output text</c>, in order.</summary>
    private protected static string[] TableNames(string output) =>
        [.. output.Split((char[])['\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    /// <summary>SendCommand of AWS-RunShellScript from the App instance with <paramref name="arguments"/>; the command's id.</summary>
    private protected async Task<string> SendAsync(params string[] arguments)
    {
        var sent = await CloisterAsync(["exec", "--from", "App", "--", AwsCli, "ssm", "send-command", "--document-name", "AWS-RunShellScript", .. arguments, "--query", "Command.CommandId", "--output", "text"]);
        Assert.True(sent.ExitCode == 0, sent.Error);
        return sent.Output.Trim();
    }
}
