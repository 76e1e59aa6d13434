using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// A REGIONAL REST API by its invoke URL, as on AWS: from a public subnet (internet gateway route) the default
/// <c>{api-id}.execute-api.{region}.amazonaws.com</c> name resolves to the Region's front end, which serves the API; from a
/// VPC whose execute-api interface endpoint has private DNS the same name resolves to the endpoint, which refuses a public
/// API (403 Forbidden).
/// </summary>
public sealed class HostRunnerPublicApisTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_RegionalApiInvokeUrl_PublicSubnetGetsTheFunctionAndAVpcWithExecuteApiPrivateDnsGets403()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(38)}}
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public } }
              Inner: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.39.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              InnerSubnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Inner, CidrBlock: 10.39.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              EndpointGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTPS to API Gateway
                  VpcId: !Ref Inner
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.39.0.0/16 }]
              ApiEndpoint:
                Type: AWS::EC2::VPCEndpoint
                Properties: { VpcId: !Ref Inner, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.execute-api", PrivateDnsEnabled: true, SubnetIds: [!Ref InnerSubnet], SecurityGroupIds: [!Ref EndpointGroup] }
              Inside: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref InnerSubnet } }
              Hello:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  Code: { ZipFile: "def handler(event, context):\n    c = event[\"requestContext\"]\n    return {\"statusCode\": 200, \"body\": \"hello via \" + c[\"domainName\"] + \" vpce=\" + str(c[\"identity\"].get(\"vpceId\"))}\n" }
              {{RegionalApiOfHello("public")}}
            Outputs:
              Url: { Value: !Sub "https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/" }
            """)));
        Assert.True(events[^1].State == "ready", string.Join('\n', events.Select(e => $"{e.Phase} {e.State} {e.Message}")));
        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;
        var url = status.Stacks.Single().Outputs.Single(o => o.OutputKey == "Url").OutputValue;
        var host = new Uri(url).Host;

        var resolved = await CloisterAsync("exec", "--from", "App", "--", "dig", "+short", "+time=5", host);
        var served = await CloisterAsync("exec", "--from", "App", "--", "curl", "-sS", "-v", "-m", "20", url);
        var inside = await CloisterAsync("exec", "--from", "Inside", "--", "curl", "-sS", "-m", "20", "-D", "-", url);

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.Equal("198.18.6.10", resolved.Output.Trim());
        Assert.True(served.ExitCode == 0, served.Error);
        Assert.Equal($"hello via {host} vpce=None", served.Output);
        Assert.Contains("SSL certificate verify ok", served.Error, StringComparison.Ordinal);
        Assert.True(inside.ExitCode == 0, inside.Error);
        Assert.StartsWith("HTTP/1.1 403", inside.Output, StringComparison.Ordinal);
        Assert.Contains("x-amzn-ErrorType: ForbiddenException", inside.Output, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("""{"message":"Forbidden"}""", inside.Output, StringComparison.Ordinal);
        Assert.Contains(status.Services, s => s.Name.StartsWith("execute-api front end (1 public API(s)", StringComparison.Ordinal));
    }
}
