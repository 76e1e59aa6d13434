using System.Text.Json;

namespace Cloister.Host.Tests;

/// <summary>
/// <c>aws ssm start-session</c> (the AWS CLI v2, no session-manager-plugin installed) from an instance: a target that is
/// not a connected managed node is refused with TargetNotConnected; an online one is admitted, and the CLI, finding no
/// plugin, terminates the session it was handed, which DescribeSessions then lists in the history.
/// </summary>
public sealed class HostRunnerSsmSessionsTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsSsmStartSessionWithoutThePlugin_TargetNotConnectedOrAdmittedThenTerminated()
    {
        var template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(36)}}
              {{ManagedInstanceRole("Operator", "ssm:DescribeInstanceInformation, ssm:StartSession, ssm:TerminateSession, ssm:DescribeSessions")}}
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref OperatorProfile } }
            """;
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var app = (await InstanceIdsAsync("App"))["App"];
        await UntilOnlineAsync(app);

        var stranger = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "start-session", "--target", "i-0123456789abcdef0");
        var admitted = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "start-session", "--target", app);
        var history = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "describe-sessions", "--state", "History", "--output", "json");
        var active = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "describe-sessions", "--state", "Active", "--query", "Sessions", "--output", "json");

        Assert.Equal(254, stranger.ExitCode);
        Assert.Contains("An error occurred (TargetNotConnected) when calling the StartSession operation: i-0123456789abcdef0 is not connected.", stranger.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, admitted.ExitCode);
        Assert.Contains("SessionManagerPlugin is not found", admitted.Error, StringComparison.Ordinal);
        Assert.True(history.ExitCode == 0, history.Error);
        using var ended = JsonDocument.Parse(history.Output);
        var session = Assert.Single(ended.RootElement.GetProperty("Sessions").EnumerateArray());
        Assert.Equal((app, "Terminated", "SSM-SessionManagerRunShell"), (session.GetProperty("Target").GetString(), session.GetProperty("Status").GetString(), session.GetProperty("DocumentName").GetString()));
        Assert.EndsWith($"/{app}", session.GetProperty("Owner").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", active.Output.Trim());
    }
}
