using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Network;

namespace Cloister.Host.Tests;

/// <summary>
/// The stack host process as <c>cloister up</c> starts it (<see cref="HostLauncher"/>'s command line with the cloister
/// apphost built next to these tests, a fresh state folder): what it reports on the progress stream, which ends when the
/// CLI detaches, is also in <c>logs/host.log</c>.
/// </summary>
public sealed partial class HostRunnerTests : IAsyncLifetime
{
    private readonly StatePaths _state = new(Directory.CreateTempSubdirectory("cloister-host-").FullName);
    private Process? _host;

    private string Prefix => SandboxOptions.ForState(_state).Prefix;

    private string HostLogPath => Path.Combine(_state.Logs, "host.log");

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
        var events = await ProgressAsync(Start(Request("""
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: 10.22.0.0/16 }
            """)));

        var status = await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10));

        Assert.Equal("ready", events[^1].State);
        Assert.True(status is { Ok: true, Status: not null }, status?.Error);
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

    /// <summary>
    /// A one-VPC deployment whose bring-up is held in its functions phase for as long as <paramref name="init"/> (a
    /// Python module) runs: the init of a version's one provisioned environment, which the deploy waits for.
    /// </summary>
    private DeployRequest HeldInFunctions(string cidr, string init) => Request($$"""
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: {{cidr}} }
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
    private static async Task UntilPhaseAsync(Process host, string phase)
    {
        while (await host.StandardOutput.ReadLineAsync() is { } line && JsonSerializer.Deserialize(line, HostJson.Default.DeployEvent)!.Phase != phase)
        {
        }
    }

    /// <summary>A deployment of <paramref name="template"/> (one stack, <c>stack</c>, in eu-central-1), its file in the state folder.</summary>
    private DeployRequest Request(string template)
    {
        var path = Path.Combine(_state.Root, "stack.yaml");
        File.WriteAllText(path, template);
        return new DeployRequest([new DeployTemplate(path, "stack", ImmutableDictionary<string, string>.Empty)], "eu-central-1", false, ImmutableDictionary<string, string>.Empty);
    }

    /// <summary>Writes the request where the host reads it and starts the host as <c>up</c> does.</summary>
    private Process Start(DeployRequest request)
    {
        Directory.CreateDirectory(_state.Runtime);
        File.WriteAllText(HostRunner.RequestPath(_state), JsonSerializer.Serialize(request, HostJson.Default.DeployRequest));
        _host = Process.Start(HostLauncher.StartInfo(_state, HostLauncher.CloisterProgram(AppContext.BaseDirectory)))!;
        _host.StandardInput.Close();
        return _host;
    }

    /// <summary>The progress events until the stacks are ready or the host ends its output.</summary>
    private static async Task<List<DeployEvent>> ProgressAsync(Process host)
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

    private string HostLog() => File.Exists(HostLogPath) ? File.ReadAllText(HostLogPath) : string.Empty;

    /// <summary>Waits for <paramref name="condition"/>: log lines are written by a background writer.</summary>
    private async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Not seen within 30 s: {what}. host.log:\n{HostLog()}");
            await Task.Delay(100);
        }
    }
}
