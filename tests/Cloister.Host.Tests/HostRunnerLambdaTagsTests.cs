using System.Text.Json;
using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// A stack's function's tags as an instance's user sees and changes them with the AWS CLI v2, and what a change is
/// after the stack is brought up again (deployed from its template: the template's tags).
/// </summary>
public sealed class HostRunnerLambdaTagsTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsLambdaListTagsAndTagResourceFromAnInstance_TemplatesAndCloudFormationsTagsThenTheNewOneUntilTheStackComesUpAgain()
    {
        var template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(26)}}
              Echo:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: echo
                  Runtime: python3.12
                  Handler: index.handler
                  Code: { ZipFile: "def handler(event, context):\n    return event\n" }
                  Tags: [{ Key: team, Value: claims }]
              TaggerRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: tag-echo, PolicyDocument: { Statement: [{ Effect: Allow, Action: [lambda:GetFunctionConfiguration, lambda:ListTags, lambda:TagResource], Resource: !GetAtt Echo.Arn }] } }]
              TaggerProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref TaggerRole] } }
              Tagger: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref TaggerProfile } }
            """;
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var arn = await EchoArnAsync();

        var before = await CloisterAsync("exec", "--from", "Tagger", "--", AwsCli, "lambda", "list-tags", "--resource", arn);
        var tagged = await CloisterAsync("exec", "--from", "Tagger", "--", AwsCli, "lambda", "tag-resource", "--resource", arn, "--tags", "env=test");
        var after = await CloisterAsync("exec", "--from", "Tagger", "--", AwsCli, "lambda", "list-tags", "--resource", arn);

        Assert.True(before.ExitCode == 0, before.Error);
        var tags = JsonDocument.Parse(before.Output).RootElement.GetProperty("Tags");
        Assert.Equal("claims", tags.GetProperty("team").GetString());
        Assert.Equal("Echo", tags.GetProperty("aws:cloudformation:logical-id").GetString());
        Assert.StartsWith("arn:aws:cloudformation:eu-central-1:", tags.GetProperty("aws:cloudformation:stack-id").GetString(), StringComparison.Ordinal);
        Assert.True(tagged.ExitCode == 0, tagged.Error);
        Assert.True(after.ExitCode == 0, after.Error);
        Assert.Equal("test", JsonDocument.Parse(after.Output).RootElement.GetProperty("Tags").GetProperty("env").GetString());

        await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("down"), TimeSpan.FromSeconds(10));
        await _host!.WaitForExitAsync();
        _host.Dispose();
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var again = await CloisterAsync("exec", "--from", "Tagger", "--", AwsCli, "lambda", "list-tags", "--resource", await EchoArnAsync());

        Assert.True(again.ExitCode == 0, again.Error);
        var restarted = JsonDocument.Parse(again.Output).RootElement.GetProperty("Tags");
        Assert.False(restarted.TryGetProperty("env", out _));
        Assert.Equal("claims", restarted.GetProperty("team").GetString());
    }

    /// <summary>The function's ARN as the instance's user reads it.</summary>
    private async Task<string> EchoArnAsync()
    {
        var configuration = await CloisterAsync("exec", "--from", "Tagger", "--", AwsCli, "lambda", "get-function-configuration", "--function-name", "echo");
        Assert.True(configuration.ExitCode == 0, configuration.Error);
        return JsonDocument.Parse(configuration.Output).RootElement.GetProperty("FunctionArn").GetString()!;
    }
}
