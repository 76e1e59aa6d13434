using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests;

/// <summary>
/// Two unpeered VPCs with the same block (10.0.0.0/16, the default of countless templates) and the same two subnets,
/// as EC2 accepts them, each with a DynamoDB gateway endpoint and an execute-api interface endpoint of its own. In A
/// the instances' group admits TCP 8080 and 8081 from the VPC's block; in B the group admits 8081 only, and B's first
/// subnet's ACL denies it (A has no such entry): from the second subnet to the first, both ports are open in A and
/// neither in B, so either VPC's rules leaking into the other shows. <see cref="BuildWithOneAddress"/> gives HostB1 the
/// address of HostA1.
/// </summary>
public static class OverlapTopology
{
    public const string Block = "10.0.0.0/16";

    public static CloudModel Build()
    {
        VpcEndpoint Gateway(string id, string vpcId, string routeTable) =>
            new(id, id, vpcId, "com.amazonaws.eu-central-1.dynamodb", VpcEndpointType.Gateway, [], [], [routeTable], false, null, []);
        VpcEndpoint Interface(string id, string vpcId, string subnetId, string group) =>
            new(id, id, vpcId, "com.amazonaws.eu-central-1.execute-api", VpcEndpointType.Interface, [subnetId], [group], [], false, null, []);
        var allOut = ImmutableArray.Create(SecurityGroupRule.AllowAllEgress);
        var https = new SecurityGroupRule("tcp", 443, 443, Block);
        return new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs = [new Vpc("vpc-a", "VpcA", Block), new Vpc("vpc-b", "VpcB", Block)],
            Subnets =
            [
                new Subnet("subnet-a", "SubnetA", "vpc-a", "10.0.1.0/24", "eu-central-1a"),
                new Subnet("subnet-a2", "SubnetA2", "vpc-a", "10.0.2.0/24", "eu-central-1a"),
                new Subnet("subnet-b", "SubnetB", "vpc-b", "10.0.1.0/24", "eu-central-1a"),
                new Subnet("subnet-b2", "SubnetB2", "vpc-b", "10.0.2.0/24", "eu-central-1a"),
            ],
            RouteTables =
            [
                new RouteTable("rtb-a", "RtA", "vpc-a", [], ["subnet-a", "subnet-a2"]),
                new RouteTable("rtb-b", "RtB", "vpc-b", [], ["subnet-b", "subnet-b2"]),
            ],
            SecurityGroups =
            [
                new SecurityGroup("sg-a", "A", "vpc-a", "a", "a", [new SecurityGroupRule("tcp", 8080, 8081, Block)], allOut),
                new SecurityGroup("sg-b", "B", "vpc-b", "b", "b", [new SecurityGroupRule("tcp", 8081, 8081, Block)], allOut),
                new SecurityGroup("sg-a-api", "AApi", "vpc-a", "a-api", "a-api", [https], allOut),
                new SecurityGroup("sg-b-api", "BApi", "vpc-b", "b-api", "b-api", [https], allOut),
            ],
            NetworkAcls =
            [
                new NetworkAcl("acl-b", "AclB", "vpc-b",
                [
                    new NetworkAclEntry(90, "6", false, false, "0.0.0.0/0", 8081, 8081),
                    new NetworkAclEntry(100, "-1", true, false, "0.0.0.0/0"),
                    new NetworkAclEntry(100, "-1", true, true, "0.0.0.0/0"),
                ], ["subnet-b"]),
            ],
            VpcEndpoints =
            [
                Gateway("vpce-a-ddb", "vpc-a", "rtb-a"),
                Gateway("vpce-b-ddb", "vpc-b", "rtb-b"),
                Interface("vpce-a-api", "vpc-a", "subnet-a", "sg-a-api"),
                Interface("vpce-b-api", "vpc-b", "subnet-b", "sg-b-api"),
            ],
            Instances =
            [
                new Instance("i-a1", "HostA1", "subnet-a", "10.0.1.10", ["sg-a"], "a1"),
                new Instance("i-a2", "HostA2", "subnet-a2", "10.0.2.11", ["sg-a"], "a2"),
                new Instance("i-b1", "HostB1", "subnet-b", "10.0.1.20", ["sg-b"], "b1"),
                new Instance("i-b2", "HostB2", "subnet-b2", "10.0.2.21", ["sg-b"], "b2"),
            ],
        };
    }

    /// <summary>
    /// The same VPCs with HostB1 at HostA1's address, 10.0.1.10 (EC2 accepts one explicit address in two VPCs), and both
    /// groups admitting TCP 8082 and ICMP from the block: each side's peers answer on 8082 and to a ping, and 8080 still
    /// tells A's group from B's.
    /// </summary>
    public static CloudModel BuildWithOneAddress()
    {
        var model = Build();
        ImmutableArray<SecurityGroupRule> added = [new SecurityGroupRule("tcp", 8082, 8082, Block), new SecurityGroupRule("icmp", -1, -1, Block)];
        return model with
        {
            SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id is "sg-a" or "sg-b" ? g with { Ingress = g.Ingress.AddRange(added) } : g)],
            Instances = [.. model.Instances.Select(i => i.Id == "i-b1" ? i with { PrivateIpAddress = SharedAddress } : i)],
        };
    }

    /// <summary>The address HostA1 and, in <see cref="BuildWithOneAddress"/>, HostB1 have.</summary>
    public const string SharedAddress = "10.0.1.10";
}
