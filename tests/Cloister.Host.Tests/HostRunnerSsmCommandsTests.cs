using System.Globalization;
using System.Text.Json;
using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// Run Command through the instances' real agents, as an operator on an instance drives it with the AWS CLI v2: an
/// agent without a control channel takes its command from ec2messages' regional address; a
/// command sent to <c>--targets Key=tag:team,Values=claims</c> runs on the tagged instance only; <c>--max-concurrency 1</c>
/// runs three instances one after another and <c>--max-errors 0</c> stops at the first failure; CancelCommand kills a
/// running <c>sleep</c> (its process is gone, the invocation <c>Cancelled</c>); and after <c>down</c> and the next
/// <c>up</c> on the same state folder the commands, their output and their status are still there, the one that was
/// running when the host stopped <c>Failed</c>.
/// </summary>
public sealed class HostRunnerSsmCommandsTests : HostRunnerTests
{
    [Fact(Timeout = 600_000)]
    public async Task RunAsync_RunCommandTargetsCancelAndRestart_TaggedInstanceOnlyKilledSleepAndHistoryKept()
    {
        var template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(34)}}
              {{ManagedInstanceRole("Operator", "ssm:DescribeInstanceInformation, ssm:SendCommand, ssm:CancelCommand, ssm:GetCommandInvocation, ssm:ListCommands, ssm:ListCommandInvocations")}}
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref OperatorProfile, Tags: [{ Key: team, Value: claims }] } }
              Billing: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref OperatorProfile, Tags: [{ Key: team, Value: billing }] } }
              NoChannelRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: ec2messages-only, PolicyDocument: { Statement: [{ Effect: Allow, Action: [ssm:UpdateInstanceInformation, "ec2messages:*"], Resource: "*" }] } }]
              NoChannelProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref NoChannelRole] } }
              NoChannel: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref NoChannelProfile } }
            """;
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var ids = await InstanceIdsAsync("App", "Billing", "NoChannel");
        await UntilOnlineAsync(ids["App"], ids["Billing"], ids["NoChannel"]);

        // An agent without a control channel (its role has no ssmmessages) takes its commands from ec2messages' regional address.
        var delivered = await SendAsync("--instance-ids", ids["NoChannel"], "--parameters", """commands=["getent hosts ec2messages.eu-central-1.amazonaws.com"]""");
        var deliveredDone = await InvocationUntilAsync("App", delivered, ids["NoChannel"], ended: true);

        Assert.Equal("Success", deliveredDone.GetProperty("Status").GetString());
        Assert.StartsWith("198.18.23.10 ", deliveredDone.GetProperty("StandardOutputContent").GetString(), StringComparison.Ordinal);

        // Targets: the tag picks the App instance only.
        var targeted = await SendAsync("--targets", "Key=tag:team,Values=claims", "--parameters", """commands=["echo targeted"]""");
        var targetedOn = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "list-command-invocations", "--command-id", targeted, "--query", "CommandInvocations[].InstanceId", "--output", "text");
        var targetedDone = await InvocationUntilAsync("App", targeted, ids["App"], ended: true);

        Assert.True(targetedOn.ExitCode == 0, targetedOn.Error);
        Assert.Equal(ids["App"], targetedOn.Output.Trim());
        Assert.Equal(("Success", "targeted\n"), (targetedDone.GetProperty("Status").GetString(), targetedDone.GetProperty("StandardOutputContent").GetString()));

        // Rate controls: MaxConcurrency 1 sends to the three instances one after another, in the command's order,
        // each as the one before it has ended.
        var serial = await SendAsync("--instance-ids", ids["App"], ids["Billing"], ids["NoChannel"], "--max-concurrency", "1", "--max-errors", "2", "--parameters", """commands=["echo serial"]""");
        await InvocationUntilAsync("App", serial, ids["NoChannel"], ended: true);
        var serialRuns = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "list-command-invocations", "--command-id", serial, "--details", "--query", "CommandInvocations[].[InstanceId,Status,CommandPlugins[0].ResponseStartDateTime,CommandPlugins[0].ResponseFinishDateTime]", "--output", "json");

        Assert.True(serialRuns.ExitCode == 0, serialRuns.Error);
        var runs = JsonSerializer.Deserialize<string[][]>(serialRuns.Output)!;
        Assert.Equal([ids["App"], ids["Billing"], ids["NoChannel"]], runs.Select(r => r[0]));
        Assert.All(runs, r => Assert.Equal("Success", r[1]));
        Assert.True(DateTimeOffset.Parse(runs[1][2], CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(runs[0][3], CultureInfo.InvariantCulture), serialRuns.Output);
        Assert.True(DateTimeOffset.Parse(runs[2][2], CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(runs[1][3], CultureInfo.InvariantCulture), serialRuns.Output);

        // MaxErrors 0 (the default): the first instance's failure stops the command; the others never run.
        var stopped = await SendAsync("--instance-ids", ids["App"], ids["Billing"], ids["NoChannel"], "--max-concurrency", "1", "--parameters", """commands=["exit 3"]""");
        var stoppedFirst = await InvocationUntilAsync("App", stopped, ids["App"], ended: true);
        var stoppedRest = await InvocationUntilAsync("App", stopped, ids["NoChannel"], ended: true);
        var stoppedCommand = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "list-commands", "--command-id", stopped, "--query", "Commands[0].[Status,TargetCount,CompletedCount,ErrorCount]", "--output", "text");

        Assert.Equal(("Failed", 3), (stoppedFirst.GetProperty("Status").GetString(), stoppedFirst.GetProperty("ResponseCode").GetInt32()));
        Assert.Equal(("Cancelled", "Terminated", string.Empty), (stoppedRest.GetProperty("Status").GetString(), stoppedRest.GetProperty("StatusDetails").GetString(), stoppedRest.GetProperty("ExecutionStartDateTime").GetString()));
        Assert.True(stoppedCommand.ExitCode == 0, stoppedCommand.Error);
        Assert.Equal("Failed\t3\t3\t1", stoppedCommand.Output.Trim());

        // CancelCommand: the agent kills the running sleep.
        var sleeping = await SendAsync("--instance-ids", ids["App"], "--parameters", """commands=["echo started","sleep 617","echo never"]""");
        await InvocationUntilAsync("App", sleeping, ids["App"], ended: false);
        await UntilAsync(() => Running("sleep 617"), "the script's sleep");
        var cancel = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "cancel-command", "--command-id", sleeping);
        var cancelled = await InvocationUntilAsync("App", sleeping, ids["App"], ended: true);
        var listed = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "list-commands", "--command-id", sleeping, "--query", "Commands[0].Status", "--output", "text");
        var unknown = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "cancel-command", "--command-id", "11111111-2222-3333-4444-555555555555");

        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.Equal("Cancelled", cancelled.GetProperty("Status").GetString());
        Assert.Equal("started\n", cancelled.GetProperty("StandardOutputContent").GetString());
        Assert.False(Running("sleep 617"));
        Assert.Equal("Cancelled", listed.Output.Trim());
        Assert.Equal(254, unknown.ExitCode);
        Assert.Contains("(InvalidCommandId) when calling the CancelCommand operation", unknown.Error, StringComparison.Ordinal);

        // A restart: one command ended, one still running when the host stops.
        var kept = await SendAsync("--instance-ids", ids["App"], "--parameters", """commands=["echo kept","echo kept-error >&2"]""");
        await InvocationUntilAsync("App", kept, ids["App"], ended: true);
        var interrupted = await SendAsync("--instance-ids", ids["App"], "--parameters", """commands=["sleep 613"]""");
        await InvocationUntilAsync("App", interrupted, ids["App"], ended: false);
        await UntilAsync(() => Running("sleep 613"), "the interrupted script's sleep");

        await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("down"), TimeSpan.FromSeconds(30));
        await _host!.WaitForExitAsync();
        _host.Dispose();
        Assert.False(Running("sleep 613"));
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var afterKept = await InvocationUntilAsync("App", kept, ids["App"], ended: true);
        var afterInterrupted = await InvocationUntilAsync("App", interrupted, ids["App"], ended: true);
        var afterCancelled = await InvocationUntilAsync("App", sleeping, ids["App"], ended: true);
        var history = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "list-commands", "--query", "Commands[].CommandId", "--output", "json");

        Assert.Equal(("Success", "kept\n", "kept-error\n"), (afterKept.GetProperty("Status").GetString(), afterKept.GetProperty("StandardOutputContent").GetString(), afterKept.GetProperty("StandardErrorContent").GetString()));
        Assert.Equal(("Failed", -1), (afterInterrupted.GetProperty("Status").GetString(), afterInterrupted.GetProperty("ResponseCode").GetInt32()));
        Assert.Contains("the stack host shut down", afterInterrupted.GetProperty("StandardErrorContent").GetString(), StringComparison.Ordinal);
        Assert.Equal("Cancelled", afterCancelled.GetProperty("Status").GetString());
        Assert.True(history.ExitCode == 0, history.Error);
        Assert.Equal([interrupted, kept, sleeping, stopped, serial, targeted, delivered], JsonSerializer.Deserialize<string[]>(history.Output)!);
    }

    [Fact(Timeout = 600_000)]
    public async Task RunAsync_RunCommandExitCodesAndExecutionTimeout_FailedWithTheCodeAndTheWholeGroupKilledAt137()
    {
        var template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(35)}}
              {{ManagedInstanceRole("Operator", "ssm:DescribeInstanceInformation, ssm:SendCommand, ssm:GetCommandInvocation")}}
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref OperatorProfile } }
            """;
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var app = (await InstanceIdsAsync("App"))["App"];
        await UntilOnlineAsync(app);

        // A command the shell cannot find (127) or cannot execute (126): Failed with the shell's exit code.
        var missing = await SendAsync("--instance-ids", app, "--parameters", """{"commands":["cloister-no-such-command"]}""");
        var denied = await SendAsync("--instance-ids", app, "--parameters", """{"commands":["printf 'echo x' > /tmp/not-executable.sh","/tmp/not-executable.sh"]}""");
        var missingDone = await InvocationUntilAsync("App", missing, app, ended: true);
        var deniedDone = await InvocationUntilAsync("App", denied, app, ended: true);

        Assert.Equal(("Failed", "Failed", 127), (missingDone.GetProperty("Status").GetString(), missingDone.GetProperty("StatusDetails").GetString(), missingDone.GetProperty("ResponseCode").GetInt32()));
        Assert.EndsWith("failed to run commands: exit status 127", missingDone.GetProperty("StandardErrorContent").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Failed", 126), (deniedDone.GetProperty("Status").GetString(), deniedDone.GetProperty("ResponseCode").GetInt32()));

        // Past executionTimeout the script's process group is killed: its foreground sleep, a background one and one
        // a subshell left behind (reparented, still in the group).
        var slow = await SendAsync("--instance-ids", app, "--parameters", """{"commands":["(sleep 627 &)","sleep 628 >/dev/null 2>&1 &","echo started","sleep 629"],"executionTimeout":["8"]}""");
        await UntilAsync(() => Running("sleep 627") && Running("sleep 628") && Running("sleep 629"), "the script's three sleeps");
        var slowDone = await InvocationUntilAsync("App", slow, app, ended: true);

        Assert.Equal(("TimedOut", "ExecutionTimedOut", 137), (slowDone.GetProperty("Status").GetString(), slowDone.GetProperty("StatusDetails").GetString(), slowDone.GetProperty("ResponseCode").GetInt32()));
        Assert.Equal("started\n", slowDone.GetProperty("StandardOutputContent").GetString());
        Assert.False(Running("sleep 627") || Running("sleep 628") || Running("sleep 629"));

        // A script that ends at once but leaves a background job holding its output runs into the time-out, as the
        // agent waits for the output to close.
        var lingering = await SendAsync("--instance-ids", app, "--parameters", """{"commands":["sleep 631 &","echo done"],"executionTimeout":["3"]}""");
        var lingeringDone = await InvocationUntilAsync("App", lingering, app, ended: true);

        Assert.Equal(("TimedOut", 137, "done\n"), (lingeringDone.GetProperty("Status").GetString(), lingeringDone.GetProperty("ResponseCode").GetInt32(), lingeringDone.GetProperty("StandardOutputContent").GetString()));
        Assert.False(Running("sleep 631"));
    }

    /// <summary>Whether a process whose command line is <paramref name="commandLine"/> runs on the machine (the instances' processes are the host's).</summary>
    private static bool Running(string commandLine) =>
        Directory.EnumerateDirectories("/proc").Any(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ').Trim() == commandLine;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });
}
