namespace Cloister.Host.Tests;

/// <summary>
/// The sandbox's Parameter Store as a VPC reaches it through an <c>ssm</c> interface endpoint with private DNS: the AWS
/// CLI v2 run on an instance (<c>cloister exec</c>) with its instance profile's role session puts and reads parameters,
/// reads the template's own, is refused by its identity policy and by the endpoint's policy as AWS words it; a function
/// in the VPC reads with boto3 what the instance put.
/// </summary>
public sealed class HostRunnerSsmTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AwsSsmFromAnInstanceAndAFunctionThroughTheInterfaceEndpoint_PutGetTheTemplatesParameterAndRefusals()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(31)}}
              EndpointSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to Systems Manager from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.31.0.0/16 }]
              SsmEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties:
                  VpcId: !Ref Vpc
                  VpcEndpointType: Interface
                  ServiceName: !Sub "com.amazonaws.${AWS::Region}.ssm"
                  PrivateDnsEnabled: true
                  SubnetIds: [!Ref Public]
                  SecurityGroupIds: [!Ref EndpointSecurityGroup]
                  PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Action: [ssm:GetParameter, ssm:PutParameter], Resource: "*" }] }
              Seeded: { Type: AWS::SSM::Parameter, Properties: { Name: /claims/seeded, Type: String, Value: from-the-template } }
              FunctionGroup: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: the function's ENIs, VpcId: !Ref Vpc } }
              ReaderRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
                  Policies: [{ PolicyName: read-claims, PolicyDocument: { Statement: [{ Effect: Allow, Action: ssm:GetParameter, Resource: !Sub "arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/claims/*" }] } }]
              Reader:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: reader
                  Runtime: python3.12
                  Handler: index.handler
                  Role: !GetAtt ReaderRole.Arn
                  VpcConfig: { SubnetIds: [!Ref Public], SecurityGroupIds: [!Ref FunctionGroup] }
                  Code: { ZipFile: "import boto3\ndef handler(event, context):\n    return {'value': boto3.client('ssm').get_parameter(Name=event['name'])['Parameter']['Value']}\n" }
              AppRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {{AssumedByEc2}}
                  Policies:
                    - PolicyName: claims-parameters
                      PolicyDocument:
                        Statement:
                          - { Effect: Allow, Action: [ssm:PutParameter, ssm:GetParameter, ssm:DeleteParameter], Resource: !Sub "arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/claims/*" }
                          - { Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt Reader.Arn }
              AppProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref AppRole] } }
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref AppProfile } }
            """)));
        Assert.Equal("ready", events[^1].State);
        Assert.DoesNotContain(events, e => e.State == "warning" && e.Message.Contains("SsmEndpoint", StringComparison.Ordinal));
        var invokeOut = Path.Combine(_state.Root, "reader.json");

        var resolved = await CloisterAsync("exec", "--from", "App", "--", "getent", "hosts", "ssm.eu-central-1.amazonaws.com");
        var put = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "put-parameter", "--name", "/claims/table", "--value", "claims-table", "--type", "String");
        var get = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/claims/table");
        var seeded = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/claims/seeded");
        var other = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "get-parameter", "--name", "/other");
        var delete = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "ssm", "delete-parameter", "--name", "/claims/table");
        var invoked = await CloisterAsync("exec", "--from", "App", "--", AwsCli, "lambda", "invoke", "--function-name", "reader", "--cli-binary-format", "raw-in-base64-out", "--payload", """{"name":"/claims/table"}""", invokeOut);

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.StartsWith("10.31.1.", resolved.Output, StringComparison.Ordinal);
        Assert.True(put.ExitCode == 0, put.Error);
        Assert.Contains("\"Version\": 1", put.Output, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.Error);
        Assert.Contains("\"Value\": \"claims-table\"", get.Output, StringComparison.Ordinal);
        Assert.True(seeded.ExitCode == 0, seeded.Error);
        Assert.Contains("\"Value\": \"from-the-template\"", seeded.Output, StringComparison.Ordinal);
        Assert.Equal(254, other.ExitCode);
        Assert.Matches(@"\(AccessDeniedException\) when calling the GetParameter operation: User: arn:aws:sts::\d{12}:assumed-role/[^/]+/i-[0-9a-f]+ is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-central-1:\d{12}:parameter/other because no identity-based policy allows the ssm:GetParameter action", other.Error);
        Assert.Equal(254, delete.ExitCode);
        Assert.Contains("because no VPC endpoint policy allows the ssm:DeleteParameter action", delete.Error, StringComparison.Ordinal);
        Assert.True(invoked.ExitCode == 0, invoked.Error);
        Assert.Equal("""{"value": "claims-table"}""", await ReadOnInstanceAsync("App", invokeOut));
    }
}
