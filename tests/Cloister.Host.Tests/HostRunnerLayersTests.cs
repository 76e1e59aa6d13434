namespace Cloister.Host.Tests;

/// <summary>
/// A function in a VPC with a layer, started by the network fabric's launcher (itself in a mount namespace of its own),
/// invoked by an instance's user with the AWS CLI v2: the layer's module is imported from <c>/opt/python</c>.
/// </summary>
public sealed class HostRunnerLayersTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_VpcFunctionWithALayerInvokedFromAnInstance_ImportsTheLayersModuleFromOpt()
    {
        var layer = Directory.CreateDirectory(Path.Combine(_state.Root, "greet-layer", "python"));
        await File.WriteAllTextAsync(Path.Combine(layer.FullName, "greet.py"), "def hello():\n    return 'hello from a layer'\n");
        var template = $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(27)}}
              FunctionGroup: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: the function's ENIs, VpcId: !Ref Vpc } }
              Greet:
                Type: AWS::Lambda::LayerVersion
                Properties: { LayerName: greet, Content: greet-layer, CompatibleRuntimes: [python3.12] }
              Hello:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: hello
                  Runtime: python3.12
                  Handler: index.handler
                  Layers: [!Ref Greet]
                  VpcConfig: { SubnetIds: [!Ref Public], SecurityGroupIds: [!Ref FunctionGroup] }
                  Code: { ZipFile: "import greet, os\ndef handler(event, context):\n    return {'greeting': greet.hello(), 'opt': sorted(os.listdir('/opt'))}\n" }
              CallerRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies: [{ PolicyName: invoke-hello, PolicyDocument: { Statement: [{ Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Hello.Arn }] } }]
              CallerProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref CallerRole] } }
              Caller: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref CallerProfile } }
            """;
        Assert.Equal("ready", (await ProgressAsync(Start(Request(template))))[^1].State);
        var output = Path.Combine(_state.Root, "hello.json");

        var invoked = await CloisterAsync("exec", "--from", "Caller", "--", AwsCli, "lambda", "invoke", "--function-name", "hello", output);

        Assert.True(invoked.ExitCode == 0, invoked.Error);
        Assert.Contains("\"StatusCode\": 200", invoked.Output, StringComparison.Ordinal);
        Assert.Equal("""{"greeting": "hello from a layer", "opt": ["python"]}""", await ReadOnInstanceAsync("Caller", output));
    }
}
