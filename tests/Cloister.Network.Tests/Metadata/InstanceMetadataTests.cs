using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Metadata;
using Cloister.Network.Topology;
using Cloister.Policy.Callers;

namespace Cloister.Network.Tests.Metadata;

public sealed class InstanceMetadataTests
{
    private static readonly SandboxCredentials Credentials = new("ASIAEXAMPLE", "secret", "token");

    private readonly MetadataWorld _world = new(Credentials);
    private readonly ManualTime _time;
    private readonly InstanceMetadata _metadata;

    public InstanceMetadataTests()
    {
        _time = _world.Time;
        _metadata = _world.Metadata;
    }

    [Fact]
    public void Handle_TokenThenGet_AnswersTheCallersOwnMetadata()
    {
        var token = Token("10.0.1.5");

        Assert.Equal((200, "i-withrole"), Get("/latest/meta-data/instance-id", "10.0.1.5", token));
        Assert.Equal((200, "ami-0123456789abcdef0"), Get("/latest/meta-data/ami-id", "10.0.1.5", token));
        Assert.Equal((200, "t3.micro"), Get("/latest/meta-data/instance-type", "10.0.1.5", token));
        Assert.Equal((200, "m1.small"), Get("/latest/meta-data/instance-type", "10.0.1.6", Token("10.0.1.6")));
        Assert.Equal(404, Get("/latest/meta-data/ami-id", "10.0.1.6", Token("10.0.1.6")).Status);
        Assert.Equal((200, "10.0.1.5"), Get("/latest/meta-data/local-ipv4", "10.0.1.5", token));
        Assert.Equal((200, "eu-central-1b"), Get("/latest/meta-data/placement/availability-zone", "10.0.1.5", token));
        Assert.Equal((200, "eu-central-1"), Get("/latest/meta-data/placement/region", "10.0.1.5", token));
        Assert.Equal((200, "web-sg"), Get("/latest/meta-data/security-groups", "10.0.1.5", token));
        Assert.Equal((200, "#!/bin/sh\necho hi\n"), Get("/latest/user-data", "10.0.1.5", token));
        Assert.Equal(404, Get("/latest/meta-data/nothing", "10.0.1.5", token).Status);
    }

    [Fact]
    public void Handle_InstanceProfile_ListsAndServesItsRolesCredentials()
    {
        var token = Token("10.0.1.5");

        Assert.Contains("iam/", Get("/latest/meta-data/", "10.0.1.5", token).Body, StringComparison.Ordinal);
        Assert.Equal((200, "app-role"), Get("/latest/meta-data/iam/security-credentials/", "10.0.1.5", token));
        var json = JsonDocument.Parse(Get("/latest/meta-data/iam/security-credentials/app-role", "10.0.1.5", token).Body).RootElement;
        Assert.Equal(("Success", "AWS-HMAC", "ASIAEXAMPLE", "secret", "token", "2026-11-22T18:00:00Z"), (
            json.GetProperty("Code").GetString(), json.GetProperty("Type").GetString(), json.GetProperty("AccessKeyId").GetString(),
            json.GetProperty("SecretAccessKey").GetString(), json.GetProperty("Token").GetString(), json.GetProperty("Expiration").GetString()));
        var identity = JsonDocument.Parse(Get("/latest/dynamic/instance-identity/document", "10.0.1.5", token).Body).RootElement;
        Assert.Equal(("123456789012", "i-withrole", "eu-central-1"), (identity.GetProperty("accountId").GetString(), identity.GetProperty("instanceId").GetString(), identity.GetProperty("region").GetString()));
    }

    [Fact]
    public void Handle_ProfileRoleEc2MayNotAssume_AnswersAssumeRoleUnauthorizedAccessInsteadOfCredentials()
    {
        var token = Token("10.0.1.10");

        Assert.Equal((200, "lambda-role"), Get("/latest/meta-data/iam/security-credentials/", "10.0.1.10", token));
        foreach (var path in (string[])["/latest/meta-data/iam/info", "/latest/meta-data/iam/security-credentials/lambda-role"])
        {
            var (status, body) = Get(path, "10.0.1.10", token);
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal(200, status);
            Assert.Equal(["Code", "Message", "LastUpdated"], json.EnumerateObject().Select(p => p.Name));
            Assert.Equal("AssumeRoleUnauthorizedAccess", json.GetProperty("Code").GetString());
            Assert.StartsWith("EC2 cannot assume the role lambda-role.", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
            Assert.Equal("2026-11-22T12:00:00Z", json.GetProperty("LastUpdated").GetString());
            Assert.DoesNotContain("AccessKeyId", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Handle_NetworkInterfacePaths_DescribeTheInstancesEniByItsMac()
    {
        var token = Token("10.0.1.5");
        var mac = Get("/latest/meta-data/mac", "10.0.1.5", token).Body;
        var eni = "/latest/meta-data/network/interfaces/macs/" + mac + "/";

        Assert.Matches("^0a(:[0-9a-f]{2}){5}$", mac);
        Assert.NotEqual(mac, Get("/latest/meta-data/mac", "10.0.1.6", Token("10.0.1.6")).Body);
        Assert.Contains("network/", Get("/latest/meta-data/", "10.0.1.5", token).Body, StringComparison.Ordinal);
        Assert.Equal((200, "interfaces/"), Get("/latest/meta-data/network/", "10.0.1.5", token));
        Assert.Equal((200, mac + "/"), Get("/latest/meta-data/network/interfaces/macs/", "10.0.1.5", token));
        Assert.Contains("subnet-ipv4-cidr-block", Get(eni, "10.0.1.5", token).Body, StringComparison.Ordinal);
        Assert.Equal((200, "0"), Get(eni + "device-number", "10.0.1.5", token));
        Assert.Matches("^eni-[0-9a-f]{17}$", Get(eni + "interface-id", "10.0.1.5", token).Body);
        Assert.Equal((200, "10.0.1.5"), Get(eni + "local-ipv4s", "10.0.1.5", token));
        Assert.Equal((200, mac), Get(eni + "mac", "10.0.1.5", token));
        Assert.Equal((200, "123456789012"), Get(eni + "owner-id", "10.0.1.5", token));
        Assert.Equal((200, "sg-1"), Get(eni + "security-group-ids", "10.0.1.5", token));
        Assert.Equal((200, "web-sg"), Get(eni + "security-groups", "10.0.1.5", token));
        Assert.Equal((200, "subnet-1"), Get(eni + "subnet-id", "10.0.1.5", token));
        Assert.Equal((200, "10.0.1.0/24"), Get(eni + "subnet-ipv4-cidr-block", "10.0.1.5", token));
        Assert.Equal((200, "vpc-1"), Get(eni + "vpc-id", "10.0.1.5", token));
        Assert.Equal((200, "10.0.0.0/16"), Get(eni + "vpc-ipv4-cidr-block", "10.0.1.5", token));
        Assert.Equal(404, Get(eni + "nothing", "10.0.1.5", token).Status);
        Assert.Equal(404, Get("/latest/meta-data/network/interfaces/macs/0a:00:00:00:00:00/mac", "10.0.1.5", token).Status);
        Assert.Equal((200, "amazonaws.com"), Get("/latest/meta-data/services/domain", "10.0.1.5", token));
        Assert.Equal((200, "aws"), Get("/latest/meta-data/services/partition", "10.0.1.5", token));
    }

    /// <summary>
    /// EC2 lists <c>meta-data/</c> alphabetically, subfolders ending in '/'; an instance without an image, a profile or
    /// served tags has no <c>ami-id</c>, <c>iam/</c> or <c>tags/</c>.
    /// </summary>
    [Fact]
    public void Handle_MetaDataListing_NamesEveryCategoryInEc2sOrder()
    {
        Assert.Equal(
            (200, "ami-id\nami-launch-index\nami-manifest-path\nblock-device-mapping/\nevents/\nhostname\niam/\ninstance-action\ninstance-id\n" +
                "instance-life-cycle\ninstance-type\nlocal-hostname\nlocal-ipv4\nmac\nnetwork/\nplacement/\nreservation-id\nsecurity-groups\nservices/"),
            Get("/latest/meta-data/", "10.0.1.5", Token("10.0.1.5")));
        Assert.Equal(
            (200, "ami-launch-index\nami-manifest-path\nblock-device-mapping/\nevents/\nhostname\ninstance-action\ninstance-id\ninstance-life-cycle\n" +
                "instance-type\nlocal-hostname\nlocal-ipv4\nmac\nnetwork/\nplacement/\nreservation-id\nsecurity-groups\nservices/"),
            Get("/latest/meta-data/", "10.0.1.6", Token("10.0.1.6")));
    }

    /// <summary>
    /// What holds for every instance here, answered alike to an instance with an image and a profile and to one with
    /// neither: launched alone and on demand, from an EBS-backed Amazon Linux image, with no maintenance events.
    /// </summary>
    [Theory]
    [InlineData("ami-launch-index", "0")]
    [InlineData("ami-manifest-path", "(unknown)")]
    [InlineData("block-device-mapping/", "ami\nroot")]
    [InlineData("block-device-mapping/ami", "/dev/xvda")]
    [InlineData("block-device-mapping/root", "/dev/xvda")]
    [InlineData("events/", "maintenance/")]
    [InlineData("events/maintenance/", "history\nscheduled")]
    [InlineData("events/maintenance/history", "[]")]
    [InlineData("events/maintenance/scheduled", "[]")]
    [InlineData("instance-action", "none")]
    [InlineData("instance-life-cycle", "on-demand")]
    public void Handle_LeafThatHoldsForEveryInstance_AnswersAsEc2(string leaf, string body)
    {
        Assert.Equal((200, body), Get("/latest/meta-data/" + leaf, "10.0.1.5", Token("10.0.1.5")));
        Assert.Equal((200, body), Get("/latest/meta-data/" + leaf, "10.0.1.6", Token("10.0.1.6")));
    }

    /// <summary>
    /// The reservation id is fixed by the instance id: the same on every request and from a service started anew (a
    /// restart of the stack keeps the instance id, docs/host.md), and another instance's differs.
    /// </summary>
    [Fact]
    public void Handle_ReservationId_IsAnRIdFixedByTheInstanceId()
    {
        var restarted = new MetadataWorld(Credentials);

        Assert.Equal((200, "r-2a963db7e6d17911f"), Get("/latest/meta-data/reservation-id", "10.0.1.5", Token("10.0.1.5")));
        Assert.Equal((200, "r-2a963db7e6d17911f"), Get("/latest/meta-data/reservation-id", "10.0.1.5", Token("10.0.1.5")));
        Assert.Equal((200, "r-2a963db7e6d17911f"), restarted.Get("/latest/meta-data/reservation-id", "10.0.1.5", restarted.Token("10.0.1.5")));
        Assert.Equal((200, "r-da5f8f2a532044ea2"), Get("/latest/meta-data/reservation-id", "10.0.1.6", Token("10.0.1.6")));
    }

    [Fact]
    public void Handle_NoInstanceProfile_HasNoCredentials()
    {
        var token = Token("10.0.1.6");

        Assert.DoesNotContain("iam/", Get("/latest/meta-data/", "10.0.1.6", token).Body, StringComparison.Ordinal);
        Assert.Equal(404, Get("/latest/meta-data/iam/security-credentials/", "10.0.1.6", token).Status);
    }

    [Fact]
    public void Handle_MissingForeignOrExpiredToken_Is401()
    {
        var token = Token("10.0.1.5", ttl: "60");

        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.5", null).Status);
        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.6", token).Status);
        _time.Now += TimeSpan.FromSeconds(61);
        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.5", token).Status);
    }

    /// <summary>
    /// Tokens were kept until they expired and every request scanned them all: 20,000 took about 20 s, so the 100,000
    /// here would take over eight minutes that way, a hung test rather than a clock bound that fails under load (as a
    /// bound of 3 s did). Each token is asked for at its own moment, as a real clock gives, so no two are alike.
    /// </summary>
    [Fact]
    public void Handle_HundredThousandTokenRequests_EveryTokenStaysValid()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 100_000; i++)
        {
            tokens.Add(Token("10.0.1.5"));
            _time.Now += TimeSpan.FromMilliseconds(1);
        }

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal((200, "i-withrole"), Get("/latest/meta-data/instance-id", "10.0.1.5", tokens[0]));
        Assert.Equal((200, "i-withrole"), Get("/latest/meta-data/instance-id", "10.0.1.5", tokens[tokens.Count / 2]));
        Assert.Equal((200, "i-withrole"), Get("/latest/meta-data/instance-id", "10.0.1.5", tokens[^1]));
    }

    [Fact]
    public void Handle_AlteredOrOtherServicesToken_Is401()
    {
        var token = Token("10.0.1.5");
        var other = new InstanceMetadata(() => new CloudModel(), () => [Host(HostKind.Instance, "i-withrole", "10.0.1.5")], _ => null, _time);
        var foreign = other.Handle("PUT", "/latest/api/token", "router", "10.0.1.5", name => name == InstanceMetadata.TtlHeader ? "60" : null).Body;
        var altered = (token[0] == 'A' ? "B" : "A") + token[1..];

        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.5", altered).Status);
        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.5", foreign).Status);
        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.5", "not-a-token").Status);
        Assert.Equal(200, Get("/latest/meta-data/instance-id", "10.0.1.5", token).Status);
    }

    [Theory]
    [InlineData("0", null, 400)]
    [InlineData("21601", null, 400)]
    [InlineData("abc", null, 400)]
    [InlineData("60", "10.9.9.9", 403)]
    public void Handle_BadTokenRequest_IsRefused(string ttl, string? forwardedFor, int status)
    {
        var answer = _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.5", name => name switch
        {
            InstanceMetadata.TtlHeader => ttl,
            "X-Forwarded-For" => forwardedFor,
            _ => null,
        });

        Assert.Equal(status, answer.Status);
    }

    [Fact]
    public void Handle_OneAddressInTwoRouters_AnswersEachInstanceAndRefusesTheOthersToken()
    {
        // Unpeered VPCs with overlapping blocks may each have an instance at one address: the router a request came in
        // through names the instance, and a token is the instance's, not the address's.
        var model = new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Instances = [new Instance("i-a", "A", "subnet-a", "10.0.1.10", []), new Instance("i-b", "B", "subnet-b", "10.0.1.10", [])],
        };
        ImmutableArray<HostPlan> hosts =
        [
            Host(HostKind.Instance, "i-a", "10.0.1.10") with { RouterNamespace = "router-a" },
            Host(HostKind.Instance, "i-b", "10.0.1.10") with { RouterNamespace = "router-b" },
        ];
        var metadata = new InstanceMetadata(() => model, () => hosts, _ => null, _time);
        string TokenIn(string router) => metadata.Handle("PUT", "/latest/api/token", router, "10.0.1.10", name => name == InstanceMetadata.TtlHeader ? "60" : null).Body;
        InstanceMetadata.Answer IdIn(string router, string token) =>
            metadata.Handle("GET", "/latest/meta-data/instance-id", router, "10.0.1.10", name => name == InstanceMetadata.TokenHeader ? token : null);
        var (tokenA, tokenB) = (TokenIn("router-a"), TokenIn("router-b"));

        Assert.Equal((200, "i-a"), (IdIn("router-a", tokenA).Status, IdIn("router-a", tokenA).Body));
        Assert.Equal((200, "i-b"), (IdIn("router-b", tokenB).Status, IdIn("router-b", tokenB).Body));
        Assert.Equal(401, IdIn("router-b", tokenA).Status);
        Assert.Equal(404, IdIn("router-c", tokenA).Status);
    }

    /// <summary>
    /// A host outside any subnet the model knows is placed in its Region's first zone as Fn::GetAZs lists them: us-west-1
    /// has no zone a (its zones are b and c).
    /// </summary>
    [Fact]
    public void Handle_HostWithoutASubnetInUsWest1_IsPlacedInTheRegionsFirstRealZone()
    {
        var model = new CloudModel
        {
            Account = new AccountContext("123456789012", "us-west-1"),
            Instances = [new Instance("i-loose", "Loose", "subnet-gone", "10.0.1.8", [])],
        };
        ImmutableArray<HostPlan> hosts = [Host(HostKind.Instance, "i-loose", "10.0.1.8") with { SubnetId = "subnet-gone", SecurityGroupIds = [] }];
        var metadata = new InstanceMetadata(() => model, () => hosts, _ => Credentials, _time);
        var token = metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.8", name => name == InstanceMetadata.TtlHeader ? "60" : null).Body;

        var zone = metadata.Handle("GET", "/latest/meta-data/placement/availability-zone", "router", "10.0.1.8", name => name == InstanceMetadata.TokenHeader ? token : null);

        Assert.Equal((200, "us-west-1b"), (zone.Status, zone.Body));
    }

    /// <summary>
    /// EC2: instance profile credentials are rotated, new ones available at least five minutes before the old expire.
    /// The sandbox's STS renews them every hour and each set is valid six hours: an hour on, the metadata service hands
    /// out a new set while the old one still works for five more hours.
    /// </summary>
    [Fact]
    public void Handle_InstanceProfileCredentialsAnHourOn_NewSetWhileTheOldStillWorks()
    {
        var model = new CloudModel
        {
            Account = new AccountContext("123456789012", "eu-central-1"),
            Instances = [new Instance("i-withrole", "WithRole", "subnet-1", "10.0.1.5", [], InstanceProfileRole: "app-role")],
        };
        ImmutableArray<HostPlan> hosts = [Host(HostKind.Instance, "i-withrole", "10.0.1.5")];
        var start = _time.Now;
        var directory = CallerDirectory.Build(model, new byte[32], _time);
        var metadata = new InstanceMetadata(() => model, () => hosts, directory.ForInstance, _time);

        var first = Credentials();
        _time.Now = start.AddMinutes(59);
        var sameHour = Credentials();
        _time.Now = start.AddHours(1);
        var next = Credentials();

        Assert.Equal(first, sameHour);
        Assert.Equal(("2026-11-22T12:00:00Z", "2026-11-22T18:00:00Z"), (first.LastUpdated, first.Expiration));
        Assert.NotEqual(first.Key, next.Key);
        Assert.Equal(("2026-11-22T13:00:00Z", "2026-11-22T19:00:00Z"), (next.LastUpdated, next.Expiration));
        Assert.False(directory.Find(first.Key).HasExpired(_time.Now));
        Assert.True(directory.Find(first.Key).HasExpired(start.AddHours(6)));
        Assert.False(directory.Find(next.Key).HasExpired(start.AddHours(6)));
        Assert.Equal(directory.Find(first.Key).Arn, directory.Find(next.Key).Arn);

        (string Key, string? LastUpdated, string? Expiration) Credentials()
        {
            var token = metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.5", name => name == InstanceMetadata.TtlHeader ? "60" : null).Body;
            var answer = metadata.Handle("GET", "/latest/meta-data/iam/security-credentials/app-role", "router", "10.0.1.5", name => name == InstanceMetadata.TokenHeader ? token : null);
            Assert.Equal(200, answer.Status);
            var json = JsonDocument.Parse(answer.Body).RootElement;
            return (json.GetProperty("AccessKeyId").GetString()!, json.GetProperty("LastUpdated").GetString(), json.GetProperty("Expiration").GetString());
        }
    }

    [Fact]
    public void Handle_HttpTokensOptional_AnswersATokenlessGetAsImdsV1()
    {
        Assert.Equal((200, "i-v1"), Get("/latest/meta-data/instance-id", "10.0.1.8", null));
        Assert.Equal((200, "i-v1"), Get("/latest/meta-data/instance-id", "10.0.1.8", Token("10.0.1.8")));
    }

    [Fact]
    public void Handle_HttpTokensOptionalWithABadToken_Is401()
    {
        Assert.Equal((401, Ec2ErrorPage.Of("401 - Unauthorized")), Get("/latest/meta-data/instance-id", "10.0.1.8", "not-a-token"));
        Assert.Equal((401, Ec2ErrorPage.Of("401 - Unauthorized")), Get("/latest/meta-data/instance-id", "10.0.1.8", Token("10.0.1.5")));
    }

    [Fact]
    public void Handle_HttpTokensRequiredByDefault_TokenlessGetIs401WithEc2sUnauthorizedPage()
    {
        Assert.Equal((401, Ec2ErrorPage.Of("401 - Unauthorized")), Get("/latest/meta-data/instance-id", "10.0.1.6", null));
    }

    [Fact]
    public void Handle_HttpEndpointDisabled_RefusesTokenAndGetWith403()
    {
        var put = _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.9", name => name == InstanceMetadata.TtlHeader ? "60" : null);

        Assert.Equal((403, Ec2ErrorPage.Of("403 - Forbidden")), (put.Status, put.Body));
        Assert.Equal((403, Ec2ErrorPage.Of("403 - Forbidden")), Get("/latest/meta-data/instance-id", "10.0.1.9", null));
    }

    [Fact]
    public void Handle_TokenRequest_CarriesTheInstancesHopLimit()
    {
        var withOptions = _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.8", name => name == InstanceMetadata.TtlHeader ? "60" : null);
        var byDefault = _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.6", name => name == InstanceMetadata.TtlHeader ? "60" : null);

        Assert.Equal((3, 2), (withOptions.HopLimit, byDefault.HopLimit));
        Assert.Null(_metadata.Handle("GET", "/latest/meta-data/instance-id", "router", "10.0.1.8", _ => null).HopLimit);
    }

    [Fact]
    public void Handle_InstanceMetadataTagsEnabled_ListsKeysAndServesValues()
    {
        Assert.Contains("tags/", Get("/latest/meta-data/", "10.0.1.8", null).Body.Split('\n'));
        Assert.Equal((200, "instance"), Get("/latest/meta-data/tags/", "10.0.1.8", null));
        Assert.Equal((200, "Name\nteam:owner\naws:cloudformation:logical-id"), Get("/latest/meta-data/tags/instance", "10.0.1.8", null));
        Assert.Equal((200, "web"), Get("/latest/meta-data/tags/instance/Name", "10.0.1.8", null));
        Assert.Equal((200, "a@b.example"), Get("/latest/meta-data/tags/instance/team:owner", "10.0.1.8", null));
        Assert.Equal(404, Get("/latest/meta-data/tags/instance/name", "10.0.1.8", null).Status);
    }

    [Fact]
    public void Handle_InstanceMetadataTagsDisabled_Is404()
    {
        var token = Token("10.0.1.5");

        Assert.DoesNotContain("tags/", Get("/latest/meta-data/", "10.0.1.5", token).Body.Split('\n'));
        Assert.Equal(404, Get("/latest/meta-data/tags/instance", "10.0.1.5", token).Status);
        Assert.Equal(404, Get("/latest/meta-data/tags/instance/Name", "10.0.1.5", token).Status);
    }

    [Theory]
    [InlineData("Name", true)]
    [InlineData("team:owner@x+y=z,1.2_3-4", true)]
    [InlineData("has space", false)]
    [InlineData("a/b", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("_index", false)]
    [InlineData("", false)]
    [InlineData("café", false)]
    public void IsServableTagKey_Key_AnswersAsEc2Restricts(string key, bool servable)
    {
        Assert.Equal(servable, InstanceMetadataOptions.IsServableTagKey(key));
    }

    [Fact]
    public void Handle_NotAnInstance_Is404()
    {
        Assert.Equal(404, _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.7", name => name == InstanceMetadata.TtlHeader ? "60" : null).Status);
    }

    private static HostPlan Host(HostKind kind, string id, string address) => MetadataWorld.Host(kind, id, address);

    private string Token(string address, string ttl = "21600") => _world.Token(address, ttl);

    private (int Status, string Body) Get(string path, string address, string? token) => _world.Get(path, address, token);
}
