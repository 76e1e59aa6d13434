using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cloister.Host;
using Cloister.Host.Control;
using Cloister.Host.Status;

namespace Cloister.Cli.Tests.Commands;

/// <summary>
/// <c>cloister deploy</c> as its own process against a host that answers like a running one (its control socket, its
/// <c>runtime/deploy.json</c>): what it sends the host, and what it refuses before sending anything.
/// </summary>
public sealed class DeployCommandTests : IAsyncLifetime
{
    private const string Template = """
        Parameters:
          Greeting: { Type: String }
          Stage: { Type: String, Default: dev }
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.42.0.0/16 } }
        Outputs:
          Said: { Value: !Sub "${Greeting} ${Stage}" }
        """;

    private const string RunningAccount = "123456789012";

    private readonly CliProcess _cli = new();
    private readonly ConcurrentQueue<ControlRequest> _received = new();
    private ControlServer? _host;
    private IReadOnlyList<DeployEvent> _events = [new DeployEvent("web", "unchanged", "No changes to deploy. Stack web is up to date", 0)];

    public async Task InitializeAsync()
    {
        var path = _cli.WriteFile("web.yaml", Template);
        var running = new DeployRequest(
            [new DeployTemplate(path, "web", ImmutableDictionary<string, string>.Empty.Add("Greeting", "hello").Add("Stage", "prod"))],
            "eu-central-1",
            false,
            ImmutableDictionary<string, string>.Empty)
        {
            AccountId = RunningAccount,
        };
        // As a shell without the variable, whatever the tests' own environment holds.
        _cli.Environment["CLOISTER_ACCOUNT_ID"] = string.Empty;
        Directory.CreateDirectory(_cli.State.Runtime);
        await File.WriteAllTextAsync(HostRunner.RequestPath(_cli.State), JsonSerializer.Serialize(running, HostJson.Default.DeployRequest));
        var status = new StackStatus("ready", "eu-central-1", "clt-", false, Environment.ProcessId, DateTimeOffset.UtcNow, 1, [], [], [], [], []);
        _host = ControlServer.Start(_cli.State.ControlSocket, (request, _) =>
        {
            _received.Enqueue(request);
            return Task.FromResult(request.Command == "deploy"
                ? new ControlResponse(true, Events: _events)
                : new ControlResponse(true, Status: status));
        });
        await File.WriteAllTextAsync(HostRunner.PidPath(_cli.State), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _cli.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Deploy_ParamGivenAgain_SendsEveryRunningStackWithTheOtherValuesKept()
    {
        var (exitCode, output, error) = await _cli.RunAsync("deploy", "--param", "Stage=test");

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("No changes to deploy. Stack web is up to date", output, StringComparison.Ordinal);
        var sent = Assert.Single(_received, r => r.Command == "deploy").Deploy!;
        var template = Assert.Single(sent.Templates);
        Assert.Equal("web", template.StackName);
        Assert.Equal(Path.Combine(_cli.State.Root, "web.yaml"), template.Path);
        Assert.Equal(new Dictionary<string, string> { ["Greeting"] = "hello", ["Stage"] = "test" }, template.Parameters.ToDictionary());
        Assert.Equal("eu-central-1", sent.Region);
        Assert.Equal(RunningAccount, sent.AccountId);
    }

    [Fact(Timeout = 60_000)]
    public async Task Deploy_AccountIdOfTheRunningStacks_SentInThatAccount()
    {
        _cli.Environment["CLOISTER_ACCOUNT_ID"] = RunningAccount;

        var (exitCode, output, error) = await _cli.RunAsync("deploy");

        Assert.True(exitCode == 0, output + error);
        Assert.Equal(RunningAccount, Assert.Single(_received, r => r.Command == "deploy").Deploy!.AccountId);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("111122223333", "cloister deploy: CLOISTER_ACCOUNT_ID is 111122223333, but the running stacks are account 123456789012; a deploy updates them in their account: unset CLOISTER_ACCOUNT_ID or set it to 123456789012, or ./cloister down and ./cloister up to deploy into 111122223333. Nothing was changed.")]
    [InlineData("12345678901", "cloister deploy: CLOISTER_ACCOUNT_ID '12345678901' is not an account id: an account id is exactly 12 digits, such as 123456789012; unset it (or leave it empty) for 000000000000. Nothing was changed.")]
    public async Task Deploy_AccountIdNotTheRunningStacks_RefusedInOneLineWithNothingSent(string accountId, string refusal)
    {
        _cli.Environment["CLOISTER_ACCOUNT_ID"] = accountId;

        var (exitCode, _, error) = await _cli.RunAsync("deploy");

        Assert.Equal(1, exitCode);
        Assert.Equal(refusal, error.TrimEnd('\n'));
        Assert.DoesNotContain(_received, r => r.Command == "deploy");
    }

    [Fact(Timeout = 60_000)]
    public async Task Deploy_StateLongerThanTheColumn_EveryLinesPhaseAndResourceLinedUp()
    {
        _events =
        [
            new DeployEvent("web", "UPDATE_IN_PROGRESS", "Greeter (AWS::Lambda::Function)", 0),
            new DeployEvent("web", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "web", 0),
            new DeployEvent("web", "UPDATE_COMPLETE", "Greeter (AWS::Lambda::Function)", 0),
        ];

        var (exitCode, output, error) = await _cli.RunAsync("deploy");

        Assert.True(exitCode == 0, output + error);
        var columns = output.Split('\n').Where(l => l.StartsWith("UPDATE_", StringComparison.Ordinal)).Select(l => l.IndexOf(" web ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, columns.Count);
        Assert.Equal([44, 44, 44], columns);
    }

    [Fact(Timeout = 60_000)]
    public async Task Deploy_TemplateOfAStackNotRunning_RefusedNamingItWithNothingSent()
    {
        var other = _cli.WriteFile("other.yaml", Template);

        var (exitCode, _, error) = await _cli.RunAsync("deploy", other);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{other}: no running stack is named other (running: web)", error, StringComparison.Ordinal);
        Assert.Contains("cloister deploy: 1 problem(s); nothing was changed.", error, StringComparison.Ordinal);
        Assert.DoesNotContain(_received, r => r.Command == "deploy");
    }

    [Fact(Timeout = 60_000)]
    public async Task Deploy_TemplateThatDoesNotLoad_EveryProblemWithNothingSent()
    {
        var broken = _cli.WriteFile("broken.yaml", "Resources:\n  Queue: { Type: AWS::Made::Up }\n");

        var (exitCode, _, error) = await _cli.RunAsync("deploy", "web=" + broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("AWS::Made::Up", error, StringComparison.Ordinal);
        Assert.DoesNotContain(_received, r => r.Command == "deploy");
    }
}
