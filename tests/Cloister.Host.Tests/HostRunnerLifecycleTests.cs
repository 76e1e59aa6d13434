using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Network;
using Cloister.Tables.Hosting;
using Microsoft.Data.Sqlite;

namespace Cloister.Host.Tests;

/// <summary>
/// The host's life on its own: a warning and a template that does not load in <c>logs/host.log</c>, the control socket
/// answering while the stacks come up and the moment they are ready, and a host stopped mid bring-up tearing down what
/// it brought up.
/// </summary>
public sealed class HostRunnerLifecycleTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_InterfaceEndpointOfUnservedService_WarningInHostLog()
    {
        var request = Request("""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: 10.20.0.0/16 }
              Subnet:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !Ref Vpc, CidrBlock: 10.20.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] }
              QueueEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties:
                  VpcId: !Ref Vpc
                  VpcEndpointType: Interface
                  ServiceName: !Sub com.amazonaws.${AWS::Region}.sqs
                  SubnetIds: [!Ref Subnet]
            """);
        var events = await ProgressAsync(Start(request));

        Assert.Equal("ready", events[^1].State);
        var warning = Assert.Single(events, e => e.State == "warning");
        Assert.Equal("network", warning.Phase);
        Assert.Matches(@"^QueueEndpoint \(vpce-[0-9a-f]{17}\) is an interface endpoint of com\.amazonaws\.eu-central-1\.sqs, which Cloister does not serve", warning.Message);
        await UntilAsync(() => HostLog().Contains($"network: {warning.Message}", StringComparison.Ordinal), "the warning in host.log");
        var down = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("down"), TimeSpan.FromSeconds(60));
        Assert.True(down is { Ok: true }, down?.Error);
        await _host!.WaitForExitAsync();
        Assert.Equal(0, _host.ExitCode);
        Assert.Empty(await Sandbox.ListNamespacesAsync(Prefix));
    }

    [Fact(Timeout = 120_000)]
    public async Task RunAsync_TemplateThatDoesNotLoad_EveryProblemInHostLog()
    {
        var request = Request("""
            Resources:
              Queue:
                Type: AWS::Made::Up
              Topic:
                Type: AWS::Made::Down
            """);
        var problems = request.Load(DateTimeOffset.UtcNow).Validation.Problems.Select(p => p.ToString()).ToList();
        Assert.Equal(2, problems.Count);

        var events = await ProgressAsync(Start(request));
        await _host!.WaitForExitAsync();

        Assert.Equal(1, _host.ExitCode);
        Assert.Equal(problems, events.Where(e => e.State == "failed").Select(e => e.Message));
        var log = HostLog();
        Assert.All(problems, problem => Assert.Contains($"templates: {problem}", log, StringComparison.Ordinal));
        Assert.Empty(await Sandbox.ListNamespacesAsync(Prefix));
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_InvokeWhileComingUp_AnswersComingUp()
    {
        // Before, invoke before the stacks were ready was answered "Unknown or not yet possible command 'invoke'".
        // The bring-up is held in its functions phase: a provisioned environment's init waits for a file this test
        // writes only after asking (asked at the network phase instead, a one-VPC stack could be ready first).
        var release = Path.Combine(_state.Root, "release");
        var host = Start(HeldInFunctions("10.21.0.0/16", $$"""
            import os, time
            while not os.path.exists("{{release}}"):
                time.sleep(0.05)
            def handler(event, context):
                return {}
            """));
        await UntilPhaseAsync(host, "functions");

        var invoke = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("invoke", "fn", "{}"), TimeSpan.FromSeconds(10));
        var status = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10));
        await File.WriteAllTextAsync(release, string.Empty);
        var events = await ProgressAsync(host);

        Assert.Equal(new ControlResponse(false, ControlResponse.ComingUp), invoke);
        Assert.Equal(new ControlResponse(false, ControlResponse.ComingUp), status);
        Assert.Equal("ready", events[^1].State);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_StatusAskedTheMomentReadyIsReported_AnswersTheStatus()
    {
        // cloister up asks for the status (its Outputs and Try next block) as soon as it reads "ready". The host
        // reported ready from inside the bring-up, before the control server could see the stacks, so a status asked
        // then was answered "still coming up" and up printed neither (seen once under a load average of 35).
        var events = await ProgressAsync(Start(OneVpc("10.22.0.0/16")));

        var status = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10));

        Assert.Equal("ready", events[^1].State);
        Assert.True(status is { Ok: true, Status: not null }, status?.Error);
    }

    [Fact(Timeout = 300_000)]
    public async Task Status_InvocationInFlight_CountsItUntilItEnds()
    {
        // cloister status's ConcurrentExecutions: the invocation counts from its acceptance (its cold start included)
        // to its answer, as Lambda's metric of that name and its concurrency limit count it.
        var release = Path.Combine(_state.Root, "release");
        var events = await ProgressAsync(Start(Request($$"""
            Resources:
              Waits:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: waits
                  Runtime: python3.11
                  Handler: index.handler
                  Code:
                    ZipFile: |
                      import os, time
                      def handler(event, context):
                          while not os.path.exists("{{release}}"):
                              time.sleep(0.05)
                          return {}
            """)));
        Assert.Equal("ready", events[^1].State);
        var before = (await StackStatusAsync()).Functions.Single();

        var invoke = ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("invoke", "waits", "{}"), TimeSpan.FromSeconds(60));
        var during = before;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (during.ConcurrentExecutions == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            during = (await StackStatusAsync()).Functions.Single();
        }

        await File.WriteAllTextAsync(release, string.Empty);
        var answer = await invoke;
        var after = (await StackStatusAsync()).Functions.Single();

        Assert.Equal(("waits", 0, 0), (before.FunctionName, before.ExecutionEnvironments, before.ConcurrentExecutions));
        Assert.Equal(1, during.ConcurrentExecutions);
        Assert.True(answer is { Ok: true, Invocation.StatusCode: 200 }, answer?.Error);
        Assert.Equal((1, 0), (after.ExecutionEnvironments, after.ConcurrentExecutions));
    }

    [Fact(Timeout = 300_000)]
    public async Task Down_WhileADeployWaitsOnAnInit_CancelsItDeletingItsNewTableThenTearsDown()
    {
        // cloister down while cloister deploy runs: the deploy (here held in a new version's provisioned init, which it
        // waits for) is cancelled and answered before the host stops its modules, not left running beside the teardown.
        // The table it had created (under a generated name) goes, as a cancelled update's rollback deletes it: the
        // state folder's record, still the running deployment's, does not hold it, and nothing else would ever delete it.
        var events = await ProgressAsync(Start(OneVpc("10.25.0.0/16")));
        Assert.Equal("ready", events[^1].State);
        var initStarted = Path.Combine(_state.Root, "init-started");
        var held = HeldInFunctions(
            "10.25.0.0/16",
            $$"""
            import time
            open("{{initStarted}}", "w").close()
            time.sleep(3600)
            """,
            """
              Claims:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
                  KeySchema: [{ AttributeName: id, KeyType: HASH }]
                  BillingMode: PAY_PER_REQUEST
            """);

        var deploy = ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("deploy", Deploy: held), TimeSpan.FromSeconds(120));
        await UntilAsync(() => File.Exists(initStarted), "the deployed version's init");
        var down = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("down"), TimeSpan.FromSeconds(10));
        // Well within the host's 60 s bound on a deploy deaf to cancellation (which the init's wait was).
        await Task.WhenAny(_host!.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        var answer = await deploy;

        Assert.True(down is { Ok: true }, down?.Error);
        Assert.True(_host.HasExited, "the host did not end within 30 s of down");
        Assert.Equal(0, _host.ExitCode);
        Assert.NotNull(answer);
        Assert.False(answer.Ok);
        Assert.StartsWith("The deployment was cancelled: the stacks are being taken down", answer.Error, StringComparison.Ordinal);
        Assert.Contains(answer.Events!, e => e is { State: "CREATE_COMPLETE", Message: "Claims (AWS::DynamoDB::Table)" });
        Assert.Empty(StoredTableNames(held.Account));
        Assert.Empty(await Sandbox.ListNamespacesAsync(Prefix));
    }

    [Fact(Timeout = 300_000)]
    public async Task StopAsync_HostComingUpWithNoOneWatching_TearsDownWhatItBroughtUp()
    {
        // What cloister up and down do with a host whose up was killed: found by HostProcesses, told to stop with
        // SIGTERM mid bring-up (held in its functions phase, after the network), it removes its own namespaces.
        var host = Start(HeldInFunctions("10.23.0.0/16", """
            import time
            time.sleep(3600)
            """));
        await UntilPhaseAsync(host, "functions");

        Assert.NotEmpty(await Sandbox.ListNamespacesAsync(Prefix));

        var stopped = await HostProcesses.StopAsync(_state, TimeSpan.FromSeconds(60));

        Assert.Equal([host.Id], stopped);
        await host.WaitForExitAsync();
        Assert.Empty(await Sandbox.ListNamespacesAsync(Prefix));
    }

    /// <summary>The tables the state folder's table store holds (read once no host has it open).</summary>
    private List<string> StoredTableNames(AccountContext account)
    {
        var database = Path.Combine(_state.TablesOf(account), TableStoreFiles.DatabaseFileName);
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM catalog";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>A deployment of one VPC and nothing else: stacks that come up in a moment.</summary>
    private DeployRequest OneVpc(string cidr) => Request($$"""
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: {{cidr}} }
        """);
}
