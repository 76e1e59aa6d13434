namespace Cloister.Host.Tests;

/// <summary>
/// An inbound Resolver endpoint in each of two unpeered VPCs with one block, both given the same explicit addresses:
/// each endpoint's ENI answers with its own VPC's private hosted zone.
/// </summary>
public sealed class HostRunnerExplicitInboundAddressesTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_InboundEndpointsWithOneExplicitAddressInTwoUnpeeredVpcs_EachAnswersWithItsOwnVpcsZone()
    {
        static string Side(string side, string answer) => $$"""
              Vpc{{side}}: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.38.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              One{{side}}: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc{{side}}, CidrBlock: 10.38.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              Two{{side}}: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc{{side}}, CidrBlock: 10.38.2.0/24, AvailabilityZone: !Select [1, !GetAZs ""] } }
              Dns{{side}}:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: DNS from the VPC
                  VpcId: !Ref Vpc{{side}}
                  SecurityGroupIngress: [{ IpProtocol: udp, FromPort: 53, ToPort: 53, CidrIp: 10.38.0.0/16 }, { IpProtocol: tcp, FromPort: 53, ToPort: 53, CidrIp: 10.38.0.0/16 }]
              Inbound{{side}}:
                Type: AWS::Route53Resolver::ResolverEndpoint
                Properties:
                  Direction: INBOUND
                  SecurityGroupIds: [!Ref Dns{{side}}]
                  IpAddresses: [{ SubnetId: !Ref One{{side}}, Ip: 10.38.1.53 }, { SubnetId: !Ref Two{{side}}, Ip: 10.38.2.53 }]
              Zone{{side}}: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.internal, VPCs: [{ VPCId: !Ref Vpc{{side}}, VPCRegion: !Ref "AWS::Region" }] } }
              Who{{side}}: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone{{side}}, Name: who.corp.internal, Type: A, TTL: "60", ResourceRecords: [{{answer}}] } }
              Client{{side}}: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref One{{side}} } }
            """;
        var events = await ProgressAsync(Start(Request($"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
            {Side("A", "10.38.9.1")}
            {Side("B", "10.38.9.2")}
            """)));
        Assert.True(events[^1].State == "ready", string.Join('\n', events.Select(e => $"{e.Phase} {e.State} {e.Message}")));

        var fromA = await CloisterAsync("exec", "--from", "ClientA", "--", "dig", "+short", "+time=5", "@10.38.1.53", "who.corp.internal");
        var fromB = await CloisterAsync("exec", "--from", "ClientB", "--", "dig", "+short", "+time=5", "@10.38.2.53", "who.corp.internal");
        var fromBOverTcp = await CloisterAsync("exec", "--from", "ClientB", "--", "dig", "+short", "+tcp", "+time=5", "@10.38.1.53", "who.corp.internal");

        Assert.True(fromA.ExitCode == 0, fromA.Error);
        Assert.Equal("10.38.9.1", fromA.Output.Trim());
        Assert.True(fromB.ExitCode == 0, fromB.Error);
        Assert.Equal("10.38.9.2", fromB.Output.Trim());
        Assert.Equal("10.38.9.2", fromBOverTcp.Output.Trim());
    }
}
