using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// Two unpeered VPCs with the same CIDR block, as countless templates have (each its own 10.0.0.0/16): on AWS each works
/// on its own, and so here, through the real host: each VPC's Amazon DNS at .2 answers its own VPC's view (a private
/// hosted zone associated with one of them only) and each instance's metadata service its own instance.
/// </summary>
public sealed class HostRunnerOverlappingVpcsTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_TwoUnpeeredVpcsWithOneBlock_EachDotTwoAnswersItsOwnViewAndEachInstanceItsOwnMetadata()
    {
        var events = await ProgressAsync(Start(Request("""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              VpcA: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcA, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              VpcB: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
              SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcB, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              Zone: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.internal, VPCs: [{ VPCId: !Ref VpcA, VPCRegion: !Ref AWS::Region }] } }
              Db: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: db.corp.internal, Type: A, TTL: "60", ResourceRecords: [10.0.1.99] } }
              InA: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetA } }
              InB: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetB } }
            """)));
        Assert.True(events[^1].State == "ready", string.Join('\n', events.Select(e => $"{e.Phase} {e.State} {e.Message}")));

        var fromA = await CloisterAsync("exec", "--from", "InA", "--", "dig", "+short", "+time=2", "+tries=1", "@10.0.0.2", "db.corp.internal");
        var fromB = await CloisterAsync("exec", "--from", "InB", "--", "dig", "+time=2", "+tries=1", "@10.0.0.2", "db.corp.internal");
        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;
        var idA = await InstanceIdAsync("InA");
        var idB = await InstanceIdAsync("InB");

        Assert.True(fromA.ExitCode == 0, fromA.Error);
        Assert.Equal("10.0.1.99", fromA.Output.Trim());
        Assert.True(fromB.ExitCode == 0, fromB.Error);
        Assert.Contains("status: NXDOMAIN", fromB.Output, StringComparison.Ordinal);
        Assert.Equal(status.Hosts.Single(h => h.Name == "InA").Id, idA);
        Assert.Equal(status.Hosts.Single(h => h.Name == "InB").Id, idB);
        Assert.NotEqual(idA, idB);
    }
}
