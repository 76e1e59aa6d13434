using System.Diagnostics;
using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// One explicit <c>PrivateIpAddress</c>, 10.0.1.10, given to an instance in each of two unpeered VPCs with the same
/// block, as EC2 allows (they are separate networks): through the real host and CLI both come up, the metadata service
/// answers each with its own instance id, and each reaches the web server of a peer in its own VPC and not the other's.
/// </summary>
public sealed class HostRunnerExplicitAddressesTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_OneExplicitAddressInTwoUnpeeredVpcs_EachInstanceHasItsOwnMetadataAndPeers()
    {
        var siteA = Path.Combine(_state.Root, "site-a");
        var siteB = Path.Combine(_state.Root, "site-b");
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              VpcA: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcA, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              VpcB: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
              SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref VpcB, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              InA: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetA, PrivateIpAddress: 10.0.1.10 } }
              InB: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetB, PrivateIpAddress: 10.0.1.10 } }
              PeerA:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: ami-0123456789abcdef0
                  SubnetId: !Ref SubnetA
                  PrivateIpAddress: 10.0.1.20
                  UserData:
                    Fn::Base64: |
                      #!/bin/sh
                      mkdir -p {{siteA}} && cd {{siteA}} && echo peer-a > index.html && nohup python3 -m http.server 8080 >/dev/null 2>&1 &
              PeerB:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: ami-0123456789abcdef0
                  SubnetId: !Ref SubnetB
                  PrivateIpAddress: 10.0.1.30
                  UserData:
                    Fn::Base64: |
                      #!/bin/sh
                      mkdir -p {{siteB}} && cd {{siteB}} && echo peer-b > index.html && nohup python3 -m http.server 8080 >/dev/null 2>&1 &
            """)));
        Assert.True(events[^1].State == "ready", string.Join('\n', events.Select(e => $"{e.Phase} {e.State} {e.Message}")));

        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;
        var idA = await InstanceIdAsync("InA");
        var idB = await InstanceIdAsync("InB");
        var ownA = await CurlUntilServedAsync("InA", "10.0.1.20");
        var ownB = await CurlUntilServedAsync("InB", "10.0.1.30");
        var otherA = await CloisterAsync("exec", "--from", "InA", "--", "curl", "-sS", "--max-time", "3", "http://10.0.1.30:8080/index.html");
        var otherB = await CloisterAsync("exec", "--from", "InB", "--", "curl", "-sS", "--max-time", "3", "http://10.0.1.20:8080/index.html");

        Assert.Equal(["10.0.1.10", "10.0.1.10"], status.Hosts.Where(h => h.Name is "InA" or "InB").Select(h => h.Address));
        Assert.Equal(status.Hosts.Single(h => h.Name == "InA").Id, idA);
        Assert.Equal(status.Hosts.Single(h => h.Name == "InB").Id, idB);
        Assert.NotEqual(idA, idB);
        Assert.True(ownA.ExitCode == 0, ownA.Error);
        Assert.Equal("peer-a\n", ownA.Output);
        Assert.True(ownB.ExitCode == 0, ownB.Error);
        Assert.Equal("peer-b\n", ownB.Output);
        Assert.NotEqual(0, otherA.ExitCode);
        Assert.NotEqual(0, otherB.ExitCode);
    }

    /// <summary>curl from <paramref name="host"/> to the page at <paramref name="address"/>:8080, again until its user data's server answers (a minute at most).</summary>
    private async Task<(int ExitCode, string Output, string Error)> CurlUntilServedAsync(string host, string address)
    {
        var clock = Stopwatch.StartNew();
        (int ExitCode, string Output, string Error) page;
        do
        {
            page = await CloisterAsync("exec", "--from", host, "--", "curl", "-sS", "--max-time", "5", $"http://{address}:8080/index.html");
        }
        while (page.ExitCode != 0 && clock.Elapsed < TimeSpan.FromSeconds(60) && await PauseAsync());

        return page;
    }
}
