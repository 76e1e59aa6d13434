using System.Text.Json;
using Cloister.Model;
using Cloister.Network.Metadata;

namespace Cloister.Network.Tests.Metadata;

/// <summary>
/// The metadata service's answers held against what EC2 is documented or seen to answer: methods, the token request's
/// TTL bounds, listings with and without their slash, content types, and the documents' fields as EC2 prints them.
/// </summary>
public sealed class InstanceMetadataConformanceTests
{
    // A secret with '+' and '/' in it, as the sandbox's base64 secrets have.
    private static readonly SandboxCredentials Credentials = new("ASIAEXAMPLE", "ab+cd/ef==", "to+ken/=");

    private readonly MetadataWorld _world = new(Credentials);
    private readonly ManualTime _time;
    private readonly InstanceMetadata _metadata;

    public InstanceMetadataConformanceTests()
    {
        _time = _world.Time;
        _metadata = _world.Metadata;
    }

    /// <summary>EC2 answers <c>OPTIONS /latest/api/token</c> 200 with <c>Allow: OPTIONS, PUT</c> (seen in kubernetes-sigs/cluster-api-provider-aws#1609).</summary>
    [Fact]
    public void Handle_Options_Is200WithTheMethodsThePathTakesAndNeedsNoToken()
    {
        var token = _metadata.Handle("OPTIONS", "/latest/api/token", "router", "10.0.1.6", _ => null);
        var item = _metadata.Handle("OPTIONS", "/latest/meta-data/instance-id", "router", "10.0.1.6", _ => null);

        Assert.Equal((200, string.Empty, "OPTIONS, PUT"), (token.Status, token.Body, token.Headers!["Allow"]));
        Assert.Equal((200, string.Empty, "OPTIONS, GET, HEAD"), (item.Status, item.Body, item.Headers!["Allow"]));
    }

    [Theory]
    [InlineData("GET", "/latest/api/token", "OPTIONS, PUT")]
    [InlineData("POST", "/latest/api/token", "OPTIONS, PUT")]
    [InlineData("POST", "/latest/meta-data/instance-id", "OPTIONS, GET, HEAD")]
    [InlineData("PUT", "/latest/meta-data/instance-id", "OPTIONS, GET, HEAD")]
    [InlineData("DELETE", "/latest/meta-data/", "OPTIONS, GET, HEAD")]
    public void Handle_MethodThePathDoesNotTake_Is405WithAllow(string method, string path, string allow)
    {
        var answer = _metadata.Handle(method, path, "router", "10.0.1.8", name => name == InstanceMetadata.TtlHeader ? "60" : null);

        Assert.Equal((405, allow, Ec2ErrorPage.Of("405 - Method Not Allowed")), (answer.Status, answer.Headers!["Allow"], answer.Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+60")]
    [InlineData(" 60")]
    [InlineData("1.5")]
    [InlineData("21601")]
    [InlineData("99999999999999999999")]
    public void Handle_TokenRequestWithoutATtlFrom1To21600_Is400(string? ttl)
    {
        var answer = _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.5", name => name == InstanceMetadata.TtlHeader ? ttl : null);

        Assert.Equal((400, Ec2ErrorPage.Of("400 - Bad Request")), (answer.Status, answer.Body));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("21600")]
    public void Handle_TokenRequestAtTheTtlBounds_GivesATokenEchoingTheTtl(string ttl)
    {
        var answer = _metadata.Handle("PUT", "/latest/api/token", "router", "10.0.1.5", name => name == InstanceMetadata.TtlHeader ? ttl : null);

        Assert.Equal((200, ttl, "text/plain"), (answer.Status, answer.Headers![InstanceMetadata.TtlHeader], answer.ContentType));
        Assert.Equal(200, Get("/latest/meta-data/instance-id", "10.0.1.5", answer.Body).Status);
    }

    [Fact]
    public void Handle_ExpiredTokenWhereTokensAreOptional_Is401NotImdsV1()
    {
        var token = Token("10.0.1.8", "1");
        _time.Now += TimeSpan.FromSeconds(2);

        Assert.Equal(401, Get("/latest/meta-data/instance-id", "10.0.1.8", token).Status);
        Assert.Equal(200, Get("/latest/meta-data/instance-id", "10.0.1.8", null).Status);
    }

    [Fact]
    public void Handle_UserData_IsTheBytesAsOctetStream()
    {
        var answer = _metadata.Handle("GET", "/latest/user-data", "router", "10.0.1.5", name => name == InstanceMetadata.TokenHeader ? Token("10.0.1.5") : null);

        Assert.Equal((200, "#!/bin/sh\necho hi\n", "application/octet-stream"), (answer.Status, answer.Body, answer.ContentType));
    }

    [Theory]
    [InlineData("/latest/user-data")]
    [InlineData("/latest/meta-data/nothing")]
    [InlineData("/latest/meta-data/iam/")]
    [InlineData("/latest/meta-data/block-device-mapping/ebs1")]
    [InlineData("/latest/meta-data/block-device-mapping/ephemeral0")]
    [InlineData("/latest/meta-data/block-device-mapping/swap")]
    [InlineData("/latest/meta-data/events/recommendations/rebalance")]
    [InlineData("/latest/meta-data/events/maintenance/nothing")]
    [InlineData("/latest/meta-data/public-keys/")]
    [InlineData("/latest/meta-data/spot/instance-action")]
    [InlineData("/latest/meta-data/identity-credentials/ec2/info")]
    [InlineData("/latest/meta-data/profile")]
    [InlineData("/latest/meta-data/system")]
    [InlineData("/latest/dynamic/instance-identity/pkcs7")]
    [InlineData("/2010-01-01/meta-data/instance-id")]
    [InlineData("/latestx/meta-data/instance-id")]
    [InlineData("/meta-data/instance-id")]
    public void Handle_NothingThere_IsEc2sXhtml404AsHtml(string path)
    {
        var answer = _metadata.Handle("GET", path, "router", "10.0.1.6", name => name == InstanceMetadata.TokenHeader ? Token("10.0.1.6") : null);

        Assert.Equal((404, "text/html"), (answer.Status, answer.ContentType));
        Assert.Contains("<title>404 - Not Found</title>", answer.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// EC2 lists its dated versions at <c>/</c>, oldest first, then <c>latest</c> (a capture from an instance ending
    /// "2019-10-01\n2020-10-27\nlatest"; before, Cloister answered 404), and a dated path answers as the latest does.
    /// </summary>
    [Fact]
    public void Handle_Root_ListsTheDatedVersionsThenLatest()
    {
        var (status, body) = Get("/", "10.0.1.5", Token("10.0.1.5"));

        var lines = body.Split('\n');
        Assert.Equal(200, status);
        Assert.Equal(("1.0", "2009-04-04", "latest"), (lines[0], lines[8], lines[^1]));
        Assert.Equal(lines[1..^1].Order(StringComparer.Ordinal), lines[1..^1]);
    }

    [Theory]
    [InlineData("/2009-04-04/meta-data/instance-id", "/latest/meta-data/instance-id")]
    [InlineData("/2021-07-15/meta-data/placement/", "/latest/meta-data/placement")]
    [InlineData("/1.0/user-data", "/latest/user-data")]
    [InlineData("/2022-09-24", "/latest")]
    [InlineData("/2016-09-02/dynamic/instance-identity/document", "/latest/dynamic/instance-identity/document")]
    [InlineData("/1.0/meta-data/reservation-id", "/latest/meta-data/reservation-id")]
    [InlineData("/2007-12-15/meta-data/block-device-mapping/", "/latest/meta-data/block-device-mapping")]
    [InlineData("/2018-08-17/meta-data/events/maintenance/scheduled", "/latest/meta-data/events/maintenance/scheduled")]
    [InlineData("/2019-10-01/meta-data/instance-life-cycle", "/latest/meta-data/instance-life-cycle")]
    [InlineData("/2022-09-24/meta-data/", "/latest/meta-data")]
    public void Handle_DatedVersionPath_AnswersAsLatest(string dated, string latest)
    {
        var token = Token("10.0.1.5");

        var answer = Get(dated, "10.0.1.5", token);

        Assert.Equal(200, answer.Status);
        Assert.Equal(Get(latest, "10.0.1.5", token), answer);
    }

    [Fact]
    public void Handle_DatedVersionWithoutAToken_RefusedAsLatestIs()
    {
        // i-withrole requires tokens (the default): a dated path is no way around IMDSv2.
        var answer = _metadata.Handle("GET", "/2009-04-04/meta-data/instance-id", "router", "10.0.1.5", _ => null);

        Assert.Equal(401, answer.Status);
    }

    [Theory]
    [InlineData("/latest/meta-data/placement", "availability-zone\navailability-zone-id\nregion")]
    [InlineData("/latest/meta-data/iam/security-credentials", "app-role")]
    [InlineData("/latest/meta-data/network/interfaces/macs", "{mac}/")]
    [InlineData("/latest/meta-data/instance-id", "i-withrole")]
    [InlineData("/latest/meta-data/iam", "info\nsecurity-credentials/")]
    [InlineData("/latest/meta-data/block-device-mapping", "ami\nroot")]
    [InlineData("/latest/meta-data/block-device-mapping/root", "/dev/xvda")]
    [InlineData("/latest/meta-data/events", "maintenance/")]
    [InlineData("/latest/meta-data/events/maintenance", "history\nscheduled")]
    [InlineData("/latest/meta-data/events/maintenance/history", "[]")]
    [InlineData("/latest/meta-data/reservation-id", "r-2a963db7e6d17911f")]
    public void Handle_PathWithOrWithoutTrailingSlash_AnswersTheSame(string path, string expected)
    {
        var token = Token("10.0.1.5");
        var mac = Get("/latest/meta-data/mac", "10.0.1.5", token).Body;

        Assert.Equal((200, expected.Replace("{mac}", mac, StringComparison.Ordinal)), Get(path, "10.0.1.5", token));
        Assert.Equal((200, expected.Replace("{mac}", mac, StringComparison.Ordinal)), Get(path + "/", "10.0.1.5", token));
    }

    [Fact]
    public void Handle_InterfaceDirectoryWithoutItsSlash_ListsItsEntries()
    {
        var token = Token("10.0.1.5");
        var eni = "/latest/meta-data/network/interfaces/macs/" + Get("/latest/meta-data/mac", "10.0.1.5", token).Body;

        Assert.Equal(Get(eni + "/", "10.0.1.5", token), Get(eni, "10.0.1.5", token));
        Assert.Contains("vpc-ipv4-cidr-blocks", Get(eni, "10.0.1.5", token).Body.Split('\n'));
    }

    [Fact]
    public void Handle_TopLevelListings_NameTheCategoriesAsEc2Does()
    {
        var token = Token("10.0.1.5");
        var other = Token("10.0.1.6");

        Assert.Equal((200, "dynamic\nmeta-data\nuser-data"), Get("/latest/", "10.0.1.5", token));
        Assert.Equal((200, "dynamic\nmeta-data"), Get("/latest", "10.0.1.6", other));
        Assert.Equal((200, "instance-identity/"), Get("/latest/dynamic/", "10.0.1.5", token));
        Assert.Equal((200, "document"), Get("/latest/dynamic/instance-identity/", "10.0.1.5", token));
    }

    [Fact]
    public void Handle_AvailabilityZoneId_IsTheZonesId()
    {
        Assert.Equal((200, "euc1-az2"), Get("/latest/meta-data/placement/availability-zone-id", "10.0.1.5", Token("10.0.1.5")));
    }

    /// <summary>EC2 prints its documents one field a line as <c>"Name" : value</c> (the instance identity document in the EC2 user guide).</summary>
    [Fact]
    public void Handle_Credentials_PrintedAsEc2WithThePlusAndSlashOfTheKeysAsTheyAre()
    {
        var answer = _metadata.Handle("GET", "/latest/meta-data/iam/security-credentials/app-role", "router", "10.0.1.5", name => name == InstanceMetadata.TokenHeader ? Token("10.0.1.5") : null);
        var lines = answer.Body.Split('\n');

        Assert.Equal((200, "text/plain"), (answer.Status, answer.ContentType));
        Assert.Equal(
            ["{", "  \"Code\" : \"Success\",", "  \"LastUpdated\" : \"2026-11-22T12:00:00Z\",", "  \"Type\" : \"AWS-HMAC\",", "  \"AccessKeyId\" : \"ASIAEXAMPLE\",",
                "  \"SecretAccessKey\" : \"ab+cd/ef==\",", "  \"Token\" : \"to+ken/=\",", "  \"Expiration\" : \"2026-11-22T18:00:00Z\"", "}"],
            lines);
        Assert.Equal("ab+cd/ef==", JsonDocument.Parse(answer.Body).RootElement.GetProperty("SecretAccessKey").GetString());
    }

    [Fact]
    public void Handle_IdentityDocument_HasEc2sFieldsInItsOrder()
    {
        _time.Now += TimeSpan.FromMinutes(5);
        var json = JsonDocument.Parse(Get("/latest/dynamic/instance-identity/document", "10.0.1.5", Token("10.0.1.5")).Body).RootElement;

        Assert.Equal(
            ["accountId", "architecture", "availabilityZone", "billingProducts", "devpayProductCodes", "marketplaceProductCodes", "imageId", "instanceId",
                "instanceType", "kernelId", "pendingTime", "privateIp", "ramdiskId", "region", "version"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("2026-11-22T12:00:00Z", JsonValueKind.Null, "ami-0123456789abcdef0"), (
            json.GetProperty("pendingTime").GetString(), json.GetProperty("billingProducts").ValueKind, json.GetProperty("imageId").GetString()));
    }

    [Fact]
    public void Handle_IamInfo_NamesTheProfileWithAnAipaId()
    {
        var json = JsonDocument.Parse(Get("/latest/meta-data/iam/info", "10.0.1.5", Token("10.0.1.5")).Body).RootElement;

        Assert.Equal(["Code", "LastUpdated", "InstanceProfileArn", "InstanceProfileId"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("arn:aws:iam::123456789012:instance-profile/app-role", json.GetProperty("InstanceProfileArn").GetString());
        Assert.Matches("^AIPA[A-Z0-9]{17}$", json.GetProperty("InstanceProfileId").GetString());
    }

    [Fact]
    public void Handle_IamInfoOfAProfileNamedApartFromItsRole_NamesTheProfileWithItsPath()
    {
        // Before, the profile was named after its role (instance-profile/app-role) whatever its own name and path.
        var json = JsonDocument.Parse(Get("/latest/meta-data/iam/info", "10.0.1.11", Token("10.0.1.11")).Body).RootElement;

        Assert.Equal("arn:aws:iam::123456789012:instance-profile/app/web", json.GetProperty("InstanceProfileArn").GetString());
    }

    private string Token(string address, string ttl = "21600") => _world.Token(address, ttl);

    private (int Status, string Body) Get(string path, string address, string? token) => _world.Get(path, address, token);
}
