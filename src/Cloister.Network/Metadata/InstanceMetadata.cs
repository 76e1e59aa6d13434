using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Topology;

namespace Cloister.Network.Metadata;

/// <summary>
/// What EC2's instance metadata service answers, as the instance's <c>MetadataOptions</c> say: a
/// <c>PUT /latest/api/token</c> with <c>X-aws-ec2-metadata-token-ttl-seconds</c> (1 to 21,600) gives a token bound to
/// the instance that asked, its response sent with the instance's hop limit as IP TTL; a <c>GET</c> carrying
/// <c>X-aws-ec2-metadata-token</c> must carry a valid one (401 otherwise), and one without is answered only when
/// <c>HttpTokens</c> is <c>optional</c> (IMDSv1; 401 when <c>required</c>, the default); with <c>HttpEndpoint</c>
/// <c>disabled</c> every request is 403. Answers come from the model and the fabric's host plan: the instance's id,
/// addresses and names, zone and region, security group names, user data, the identity document, its ENI by MAC
/// (<c>network/interfaces/macs/</c>), its reservation, its tags when <c>InstanceMetadataTags</c> is enabled, and (with an
/// instance profile) its role's credentials; and what holds for every Cloister instance: launched alone, on demand, from
/// an EBS-backed Amazon Linux image, with no maintenance events and no pending action.
/// Knows nothing of sockets.
/// </summary>
internal sealed class InstanceMetadata(Func<CloudModel> model, Func<IReadOnlyList<HostPlan>> hosts, Func<Instance, SandboxCredentials?> credentials, TimeProvider time)
{
    public const string TokenHeader = "X-aws-ec2-metadata-token";
    public const string TtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

    private const string InterfacePrefix = "/latest/meta-data/network/interfaces/macs/";
    private const string TagsPrefix = "/latest/meta-data/tags/instance/";

    // The root device EC2 reports for the Amazon Linux images (their RootDeviceName), which every instance here stands in
    // for, whatever its ImageId: Cloister does not know another image's devices.
    private const string RootDevice = "/dev/xvda";

    private static readonly JsonSerializerOptions Printed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A token is the instance's id (not its address, which an instance of another VPC may share) and its expiry under an
    // HMAC: nothing is stored per token, however many are asked for, and a restart of the service ends every token
    // (clients ask for a new one on a 401, as on EC2).
    private readonly SealedValues _tokens = new();

    // When the service started: every instance is launched at `up`, so this stands for its launch (pendingTime).
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>One answer.</summary>
    /// <param name="Status">The HTTP status.</param>
    /// <param name="Body">The body: text, or JSON for documents.</param>
    /// <param name="ContentType">Its content type (text/plain, as EC2 sends even JSON).</param>
    /// <param name="Headers">Extra headers.</param>
    /// <param name="HopLimit">The IP TTL to send the answer with (the token's <c>HttpPutResponseHopLimit</c>); null keeps the system's.</param>
    public sealed record Answer(int Status, string Body, string ContentType = "text/plain", IReadOnlyDictionary<string, string>? Headers = null, int? HopLimit = null);

    /// <summary>
    /// Answers one request that came in through the VPC router <paramref name="router"/> from
    /// <paramref name="clientAddress"/>: the instance is the one at that address in that router, since unpeered VPCs with
    /// overlapping blocks may each have an instance at one address.
    /// </summary>
    public Answer Handle(string method, string path, string router, string clientAddress, Func<string, string?> header)
    {
        var host = hosts().FirstOrDefault(h => h.Kind == HostKind.Instance && h.Address == clientAddress && h.RouterNamespace == router);
        if (host is null)
        {
            return Refused(404);
        }

        var current = model();
        var instance = current.Instances.FirstOrDefault(i => i.Id == host.Id);
        var options = instance?.MetadataOptions ?? InstanceMetadataOptions.Default;
        if (!options.HttpEndpointEnabled)
        {
            return Refused(403);
        }

        // OPTIONS is answered 200 with the methods a path takes, token or not, as EC2 answers it for the token path.
        var tokenPath = path == "/latest/api/token";
        var allow = new Dictionary<string, string> { ["Allow"] = tokenPath ? "OPTIONS, PUT" : "OPTIONS, GET, HEAD" };
        if (method == "OPTIONS")
        {
            return new Answer(200, string.Empty, Headers: allow);
        }

        if (tokenPath)
        {
            return method == "PUT" ? IssueToken(host, header, options) : Refused(405) with { Headers = allow };
        }

        if (method is not ("GET" or "HEAD"))
        {
            return Refused(405) with { Headers = allow };
        }

        // IMDSv1 is a request without the header: one that carries a token must carry a valid one, whatever HttpTokens says.
        var token = header(TokenHeader);
        if (token is null ? options.HttpTokensRequired : _tokens.Open(token, time.GetUtcNow()) != host.Id)
        {
            return Refused(401);
        }

        // A directory answers with or without its trailing slash, and so does a leaf (EC2's listings end subfolders in '/').
        var item = path.Length > 1 && path[^1] == '/' ? path[..^1] : path;
        if (item == "/")
        {
            return new Answer(200, VersionListing);
        }

        return Lookup(current, instance, host, AsLatest(item)) ?? Refused(404);
    }

    /// <summary>
    /// The dated versions <c>/</c> lists before <c>latest</c>, as EC2 listed them when it was last seen (a capture of
    /// 2020-10-27's list and later mocks' of 2022-09-24's); scripts written against one keep their paths.
    /// </summary>
    public static ImmutableArray<string> Versions { get; } =
    [
        "1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10", "2007-12-15", "2008-02-01", "2008-09-01", "2009-04-04",
        "2011-01-01", "2011-05-01", "2012-01-12", "2014-02-25", "2014-11-05", "2015-10-20", "2016-04-19", "2016-06-30",
        "2016-09-02", "2018-03-28", "2018-08-17", "2018-09-24", "2019-10-01", "2020-10-27", "2021-01-03", "2021-03-23",
        "2021-07-15", "2022-07-09", "2022-09-24",
    ];

    /// <summary>What <c>/</c> answers: <see cref="Versions"/>, then <c>latest</c>, one a line.</summary>
    private static readonly string VersionListing = string.Join('\n', [.. Versions, "latest"]);

    /// <summary>
    /// <paramref name="path"/> under <c>/latest</c> when it is under a dated version: each version answers as the latest
    /// does (EC2 leaves out of an older version the categories added after it; Cloister serves them all, a choice).
    /// </summary>
    private static string AsLatest(string path)
    {
        if (path.Length < 2)
        {
            return path;
        }

        var end = path.IndexOf('/', 1);
        var version = end < 0 ? path[1..] : path[1..end];
        return Versions.Contains(version) ? "/latest" + (end < 0 ? string.Empty : path[end..]) : path;
    }

    /// <summary>
    /// An error as EC2 answers it: an XHTML page titled with the status and its reason (<c>404 - Not Found</c>, quoted in
    /// Netflix/ndbench#47; AWS re:Post names the 400, 401 and 403 the same way), sent as HTML.
    /// </summary>
    private static Answer Refused(int status) => new(status, ErrorPages[status], "text/html");

    private static readonly FrozenDictionary<int, string> ErrorPages = new Dictionary<int, string>
    {
        [400] = "Bad Request",
        [401] = "Unauthorized",
        [403] = "Forbidden",
        [404] = "Not Found",
        [405] = "Method Not Allowed",
    }.ToFrozenDictionary(e => e.Key, e => ErrorPage($"{e.Key} - {e.Value}"));

    private static string ErrorPage(string title) =>
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n\t\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n" +
        $"<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>{title}</title>\n </head>\n <body>\n  <h1>{title}</h1>\n </body>\n</html>\n";

    private Answer IssueToken(HostPlan host, Func<string, string?> header, InstanceMetadataOptions options)
    {
        if (header("X-Forwarded-For") is not null)
        {
            return Refused(403);
        }

        if (!int.TryParse(header(TtlHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl is < 1 or > 21600)
        {
            return Refused(400);
        }

        var token = _tokens.Seal(host.Id, time.GetUtcNow().AddSeconds(ttl));
        return new Answer(200, token, Headers: new Dictionary<string, string> { [TtlHeader] = ttl.ToString(CultureInfo.InvariantCulture) }, HopLimit: options.HttpPutResponseHopLimit);
    }

    private Answer? Lookup(CloudModel current, Instance? instance, HostPlan host, string path)
    {
        var subnet = current.Subnets.FirstOrDefault(s => s.Id == host.SubnetId);
        var zone = subnet?.AvailabilityZone ?? AvailabilityZones.Of(current.Account.Region)[0];
        var role = instance?.InstanceProfileRole;
        var tagsServed = instance is { MetadataOptions.InstanceMetadataTags: true };
        var tags = instance?.Tags ?? [];
        var groups = host.SecurityGroupIds.Select(id => current.SecurityGroups.FirstOrDefault(g => g.Id == id)?.Name ?? id);
        // Paths come without a trailing slash (Handle takes it off); listings end their subfolders in '/', as EC2's do.
        string? text = path switch
        {
            "/latest" => instance?.UserData is null ? "dynamic\nmeta-data" : "dynamic\nmeta-data\nuser-data",
            "/latest/dynamic" => "instance-identity/",
            "/latest/dynamic/instance-identity" => "document",
            "/latest/meta-data" => string.Join('\n', new[]
            {
                instance?.ImageId is null ? null : "ami-id", "ami-launch-index", "ami-manifest-path", "block-device-mapping/", "events/", "hostname",
                role is null ? null : "iam/", "instance-action", "instance-id", "instance-life-cycle", instance is null ? null : "instance-type",
                "local-hostname", "local-ipv4", "mac", "network/", "placement/", "reservation-id", "security-groups", "services/", tagsServed ? "tags/" : null,
            }.OfType<string>()),
            // Every AWS::EC2::Instance is launched alone (index 0 of its reservation) from an EBS-backed image, whose
            // manifest path EC2 answers "(unknown)".
            "/latest/meta-data/ami-launch-index" => "0",
            "/latest/meta-data/ami-manifest-path" => "(unknown)",
            "/latest/meta-data/block-device-mapping" => "ami\nroot",
            "/latest/meta-data/block-device-mapping/ami" or "/latest/meta-data/block-device-mapping/root" => RootDevice,
            // No maintenance is ever scheduled here: both lists are EC2's empty JSON list.
            "/latest/meta-data/events" => "maintenance/",
            "/latest/meta-data/events/maintenance" => "history\nscheduled",
            "/latest/meta-data/events/maintenance/history" or "/latest/meta-data/events/maintenance/scheduled" => "[]",
            "/latest/meta-data/instance-action" => "none",
            "/latest/meta-data/instance-life-cycle" => "on-demand",
            "/latest/meta-data/reservation-id" => host.ReservationId,
            "/latest/meta-data/mac" => host.Mac,
            "/latest/meta-data/network" => "interfaces/",
            "/latest/meta-data/network/interfaces" => "macs/",
            "/latest/meta-data/network/interfaces/macs" => host.Mac + "/",
            "/latest/meta-data/services" => "domain\npartition",
            "/latest/meta-data/services/domain" => "amazonaws.com",
            "/latest/meta-data/services/partition" => "aws",
            "/latest/meta-data/ami-id" => instance?.ImageId,
            "/latest/meta-data/instance-type" => instance?.InstanceType,
            "/latest/meta-data/instance-id" => host.Id,
            "/latest/meta-data/local-ipv4" => host.Address,
            "/latest/meta-data/hostname" or "/latest/meta-data/local-hostname" => host.Hostname,
            "/latest/meta-data/placement" => "availability-zone\navailability-zone-id\nregion",
            "/latest/meta-data/placement/availability-zone" => zone,
            "/latest/meta-data/placement/availability-zone-id" => AvailabilityZones.IdOf(zone),
            "/latest/meta-data/placement/region" => current.Account.Region,
            "/latest/meta-data/security-groups" => string.Join('\n', groups),
            "/latest/meta-data/iam" when role is not null => "info\nsecurity-credentials/",
            "/latest/meta-data/iam/security-credentials" when role is not null => role,
            "/latest/meta-data/tags" when tagsServed => "instance",
            "/latest/meta-data/tags/instance" when tagsServed => string.Join('\n', tags.Select(t => t.Key)),
            _ when tagsServed && path.StartsWith(TagsPrefix, StringComparison.Ordinal) => TagValue(tags, path[TagsPrefix.Length..]),
            _ when path == InterfacePrefix + host.Mac => Interface(current, host, groups, string.Empty),
            _ when path.StartsWith(InterfacePrefix + host.Mac + "/", StringComparison.Ordinal) =>
                Interface(current, host, groups, path[(InterfacePrefix.Length + host.Mac.Length + 1)..]),
            _ => null,
        };
        if (text is not null)
        {
            return new Answer(200, text);
        }

        // User data is given back as it was given, as bytes (EC2 user guide, "Work with instance user data").
        if (path == "/latest/user-data" && instance?.UserData is { } userData)
        {
            return new Answer(200, userData, "application/octet-stream");
        }

        var now = time.GetUtcNow();
        if (role is not null && instance is { InstanceProfileRoleAssumable: false }
            && (path == "/latest/meta-data/iam/info" || path == "/latest/meta-data/iam/security-credentials/" + role))
        {
            return Unassumable(role, now);
        }

        if (role is not null && path == "/latest/meta-data/iam/security-credentials/" + role && credentials(instance!) is { } issued)
        {
            return Json(new Dictionary<string, string>
            {
                ["Code"] = "Success",
                // When this set was issued, as EC2 says it (the same until the next set).
                ["LastUpdated"] = Timestamp(issued.IssuedAt ?? now),
                ["Type"] = "AWS-HMAC",
                ["AccessKeyId"] = issued.AccessKeyId,
                ["SecretAccessKey"] = issued.SecretAccessKey,
                ["Token"] = issued.SessionToken,
                // The directory's expiry of this set (it hands out a new one every hour, each valid 6 hours, as EC2 does).
                ["Expiration"] = Timestamp(issued.Expiration ?? now.AddHours(6)),
            });
        }

        if (role is not null && path == "/latest/meta-data/iam/info")
        {
            return Json(new Dictionary<string, string>
            {
                ["Code"] = "Success",
                ["LastUpdated"] = Timestamp(now),
                ["InstanceProfileArn"] = instance?.InstanceProfileArn ?? $"arn:aws:iam::{current.Account.AccountId}:instance-profile/{role}",
                ["InstanceProfileId"] = "AIPA" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(host.Id)))[..17],
            });
        }

        if (path == "/latest/dynamic/instance-identity/document")
        {
            return Json(new Dictionary<string, string?>
            {
                ["accountId"] = current.Account.AccountId,
                ["architecture"] = "x86_64",
                ["availabilityZone"] = zone,
                ["billingProducts"] = null,
                ["devpayProductCodes"] = null,
                ["marketplaceProductCodes"] = null,
                ["imageId"] = instance?.ImageId,
                ["instanceId"] = host.Id,
                ["instanceType"] = instance?.InstanceType,
                ["kernelId"] = null,
                ["pendingTime"] = Timestamp(_started),
                ["privateIp"] = host.Address,
                ["ramdiskId"] = null,
                ["region"] = current.Account.Region,
                ["version"] = "2017-09-30",
            });
        }

        return null;
    }

    /// <summary>
    /// <c>network/interfaces/macs/{mac}/...</c>: the instance's one ENI (device 0) as EC2 describes it, from the host plan
    /// and its subnet and VPC. <paramref name="leaf"/> is what follows the MAC; empty lists the entries.
    /// </summary>
    private static string? Interface(CloudModel current, HostPlan host, IEnumerable<string> groupNames, string leaf)
    {
        var subnet = current.Subnets.FirstOrDefault(s => s.Id == host.SubnetId);
        var vpc = current.Vpcs.FirstOrDefault(v => v.Id == host.VpcId);
        return leaf switch
        {
            "" => string.Join('\n', "device-number", "interface-id", "local-hostname", "local-ipv4s", "mac", "owner-id", "security-group-ids", "security-groups",
                "subnet-id", "subnet-ipv4-cidr-block", "vpc-id", "vpc-ipv4-cidr-block", "vpc-ipv4-cidr-blocks"),
            "device-number" => "0",
            "interface-id" => host.InterfaceId,
            "local-hostname" => host.Hostname,
            "local-ipv4s" => host.Address,
            "mac" => host.Mac,
            "owner-id" => current.Account.AccountId,
            "security-group-ids" => string.Join('\n', host.SecurityGroupIds),
            "security-groups" => string.Join('\n', groupNames),
            "subnet-id" => host.SubnetId,
            "subnet-ipv4-cidr-block" => subnet?.CidrBlock,
            "vpc-id" => host.VpcId,
            "vpc-ipv4-cidr-block" or "vpc-ipv4-cidr-blocks" => vpc?.CidrBlock,
            _ => null,
        };
    }

    private static string? TagValue(ImmutableArray<KeyValuePair<string, string>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// What EC2's metadata service gives for an instance profile whose role does not trust <c>ec2.amazonaws.com</c>, in
    /// place of the profile's info and the role's credentials (IAM user guide, "Troubleshoot IAM and Amazon EC2").
    /// </summary>
    private static Answer Unassumable(string role, DateTimeOffset now) => Json(new Dictionary<string, string>
    {
        ["Code"] = "AssumeRoleUnauthorizedAccess",
        ["Message"] = $"EC2 cannot assume the role {role}.  Please see documentation at https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html.",
        ["LastUpdated"] = Timestamp(now),
    });

    /// <summary>
    /// A document as EC2 prints it: one field a line, <c>"Name" : value</c>, and a key's <c>+</c> and <c>/</c> as they
    /// are, so a script that cuts a field out of the text (<c>grep SecretAccessKey | cut -d'"' -f4</c>) gets the real
    /// value, not <c>\u002B</c>.
    /// </summary>
    private static Answer Json<T>(Dictionary<string, T> fields) => new(200,
        "{\n" + string.Join(",\n", fields.Select(f => $"  {JsonSerializer.Serialize(f.Key, Printed)} : {JsonSerializer.Serialize(f.Value, Printed)}")) + "\n}", "text/plain");
}
