using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Metadata;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Metadata;

/// <summary>
/// One subnet of instances the metadata service tests ask as: i-withrole (profile, user data, image and type),
/// i-norole (EC2's defaults), an ENI that is no instance, i-v1 (<c>HttpTokens: optional</c>, hop limit 3, tags served),
/// i-off (endpoint disabled), i-untrusted (a profile role EC2 may not assume) and i-profiled (a profile named apart from
/// its role, with a path); on a clock the test sets.
/// </summary>
internal sealed class MetadataWorld
{
    public MetadataWorld(SandboxCredentials credentials)
    {
        var model = new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Vpcs = [new Vpc("vpc-1", "V", "10.0.0.0/16")],
            Subnets = [new Subnet("subnet-1", "S", "vpc-1", "10.0.1.0/24", "eu-central-1b")],
            SecurityGroups = [new SecurityGroup("sg-1", "Sg", "vpc-1", "web-sg", "web", [], [])],
            Instances =
            [
                new Instance("i-withrole", "WithRole", "subnet-1", "10.0.1.5", ["sg-1"], UserData: "#!/bin/sh\necho hi\n", InstanceProfileRole: "app-role", ImageId: "ami-0123456789abcdef0", InstanceType: "t3.micro"),
                new Instance("i-norole", "NoRole", "subnet-1", "10.0.1.6", ["sg-1"]),
                new Instance("i-v1", "V1", "subnet-1", "10.0.1.8", ["sg-1"])
                {
                    MetadataOptions = new InstanceMetadataOptions(HttpTokensRequired: false, HttpPutResponseHopLimit: 3, InstanceMetadataTags: true),
                    Tags = [new("Name", "web"), new("team:owner", "a@b.example"), new("aws:cloudformation:logical-id", "V1")],
                },
                new Instance("i-off", "Off", "subnet-1", "10.0.1.9", ["sg-1"]) { MetadataOptions = new InstanceMetadataOptions(HttpEndpointEnabled: false, HttpTokensRequired: false) },
                new Instance("i-untrusted", "Untrusted", "subnet-1", "10.0.1.10", ["sg-1"], InstanceProfileRole: "lambda-role") { InstanceProfileRoleAssumable = false },
                new Instance("i-profiled", "Profiled", "subnet-1", "10.0.1.11", ["sg-1"], InstanceProfileRole: "app-role")
                {
                    InstanceProfileArn = "arn:aws:iam::123456789012:instance-profile/app/web",
                },
            ],
        };
        ImmutableArray<HostPlan> hosts =
        [
            Host(HostKind.Instance, "i-withrole", "10.0.1.5"),
            Host(HostKind.Instance, "i-norole", "10.0.1.6"),
            Host(HostKind.FunctionInterface, "eni-fn", "10.0.1.7"),
            Host(HostKind.Instance, "i-v1", "10.0.1.8"),
            Host(HostKind.Instance, "i-off", "10.0.1.9"),
            Host(HostKind.Instance, "i-untrusted", "10.0.1.10"),
            Host(HostKind.Instance, "i-profiled", "10.0.1.11"),
        ];
        Metadata = new InstanceMetadata(() => model, () => hosts, _ => credentials, Time);
    }

    public ManualTime Time { get; } = new() { Now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero) };

    public InstanceMetadata Metadata { get; }

    public static HostPlan Host(HostKind kind, string id, string address) =>
        new(kind, id, id, null, null, "ns-" + id, "router", "e0", address, 24, "10.0.1.1", "vpc-1", "subnet-1", null, ["sg-1"],
            "ip-" + address.Replace('.', '-') + ".eu-central-1.compute.internal", "10.0.0.2");

    public string Token(string address, string ttl = "21600")
    {
        var answer = Metadata.Handle("PUT", "/latest/api/token", "router", address, name => name == InstanceMetadata.TtlHeader ? ttl : null);
        Assert.Equal(200, answer.Status);
        return answer.Body;
    }

    public (int Status, string Body) Get(string path, string address, string? token)
    {
        var answer = Metadata.Handle("GET", path, "router", address, name => name == InstanceMetadata.TokenHeader ? token : null);
        return (answer.Status, answer.Body);
    }
}
