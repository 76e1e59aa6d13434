using Cloister.Cli.Commands;

namespace Cloister.Cli.Tests.Commands;

/// <summary><c>cloister up</c> as its own process: interrupted while the stacks come up, and run twice at once.</summary>
public sealed class UpCommandTests : IAsyncLifetime
{
    private static readonly string Template = SmallStack.Template;

    private readonly CliProcess _cli = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cli.DisposeAsync().AsTask();

    [Fact(Timeout = 300_000)]
    public async Task Up_InterruptedWhileComingUp_TearsDownAndLeavesNothing()
    {
        // Before, Ctrl-C while the host was still bringing the stacks up ended the CLI only: the host, in a session of
        // its own, went on and left the stacks running after the prompt came back.
        var template = _cli.WriteFile("stack.yaml", Template);
        using var up = _cli.Start("up", "--region", "eu-central-1", template);
        while (await up.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)) is { } line && !line.Contains("… network", StringComparison.Ordinal))
        {
        }

        await CliProcess.SignalAsync(up, "INT");
        var (exitCode, output, error) = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");

        Assert.Equal(130, exitCode);
        Assert.Contains("Interrupted: tearing down", output, StringComparison.Ordinal);
        Assert.Contains("cloister up: interrupted; nothing was left running.", error, StringComparison.Ordinal);
        Assert.Empty(await _cli.LeftoversAsync());
        var status = await _cli.RunAsync("status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("no stacks are running", status.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Status_WhileComingUp_SaysTheStacksAreComingUp()
    {
        // Before, status (and outputs, through the same StackChannel.ReadyStatusAsync) said no stacks were running and
        // to start them with cloister up, which then refused because they were coming up. Six VPCs keep the host in its
        // network phase long after it reports the templates phase.
        var vpcs = string.Concat(Enumerable.Range(1, 6).Select(i => $$"""
              Vpc{{i}}:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: 10.{{40 + i}}.0.0/16 }
              Subnet{{i}}:
                Type: AWS::EC2::Subnet
                Properties: { VpcId: !Ref Vpc{{i}}, CidrBlock: 10.{{40 + i}}.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] }

            """));
        var template = _cli.WriteFile("stack.yaml", "Resources:\n" + vpcs);
        using var up = _cli.Start("up", "--detach", "--region", "eu-central-1", template);
        while (await up.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)) is { } line && !line.Contains("… templates", StringComparison.Ordinal))
        {
        }

        // In process: a second cloister process takes long enough to start that the host may be ready by then.
        var (status, problem) = await StackChannel.ReadyStatusAsync(_cli.State, CancellationToken.None);
        var upResult = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");

        Assert.True(upResult.ExitCode == 0, upResult.Error);
        Assert.Null(status);
        Assert.Equal($"the stacks in {_cli.State.Root} are still coming up; wait for cloister up to say ready.", problem);
        var ready = await _cli.RunAsync("status");
        Assert.True(ready.ExitCode == 0, ready.Error);
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_FolderForTemplate_SaysItIsAFolderAndCreatesNothing()
    {
        // Before: "no such template file", about a path that exists.
        var folder = Directory.CreateDirectory(Path.Combine(_cli.State.Root, "stack")).FullName;
        _cli.WriteFile("stack/template.yaml", Template);

        var (exitCode, _, error) = await _cli.RunAsync("up", "--detach", folder);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{folder}: a folder, not a template file; give the template files in it (cloister up {Path.Combine(folder, "template.yaml")}).", error, StringComparison.Ordinal);
        Assert.Contains("nothing was created", error, StringComparison.Ordinal);
        Assert.Empty(await _cli.LeftoversAsync());
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_TwoAtOnce_OneComesUpAndTheOtherIsRefused()
    {
        // Before, both started a host on the same sandbox prefix, each removed the other's namespaces as leftovers, and
        // both failed with an ip or nsenter error.
        var template = _cli.WriteFile("stack.yaml", Template);
        string[] args = ["up", "--detach", "--region", "eu-central-1", template];
        using var first = _cli.Start(args);
        using var second = _cli.Start(args);

        var results = await Task.WhenAll(CliProcess.FinishAsync(first, TimeSpan.FromMinutes(4), args), CliProcess.FinishAsync(second, TimeSpan.FromMinutes(4), args));

        var winner = Assert.Single(results, r => r.ExitCode == 0);
        Assert.Contains("✓ ready", winner.Output, StringComparison.Ordinal);
        var loser = Assert.Single(results, r => r.ExitCode != 0);
        Assert.Equal(1, loser.ExitCode);
        Assert.Matches("^cloister up: (another cloister up is already bringing stacks up|stacks are already running) in ", loser.Error);
        var status = await _cli.RunAsync("status");
        Assert.True(status.ExitCode == 0, status.Error);
        var down = await _cli.RunAsync("down");
        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Empty(await _cli.LeftoversAsync());
    }
}
