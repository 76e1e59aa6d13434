using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace Cloister.Model.Network;

/// <summary>
/// The one map of where the region's AWS service endpoints live inside a sandbox: service number N owns
/// <c>198.18.N.0/24</c> (its prefix list, as a gateway endpoint route sees it) and answers at <c>198.18.N.10</c>.
/// The network fabric places the services with it and the DNS resolvers answer their names with it, so the two
/// always agree. 198.18.0.0/15 is RFC 2544 benchmarking space, never routed on the Internet.
/// </summary>
public static class RegionalServices
{
    /// <summary>Services and their numbers; the numbers never change.</summary>
    private static readonly FrozenDictionary<string, int> Numbers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["dynamodb"] = 1,
        ["s3"] = 2,
        ["sts"] = 3,
        ["lambda"] = 4,
        ["logs"] = 5,
        ["execute-api"] = 6,
        ["cloudformation"] = 7,
        ["sqs"] = 8,
        ["sns"] = 9,
        ["kms"] = 10,
        ["ssm"] = 11,
        ["secretsmanager"] = 12,
        ["monitoring"] = 13,
        ["events"] = 14,
        ["apigateway"] = 15,
        ["ec2"] = 16,
        ["route53"] = 17,
        ["route53resolver"] = 18,
        ["iam"] = 19,
        ["xray"] = 20,
        ["elasticloadbalancing"] = 21,
        ["ssmmessages"] = 22,
        ["ec2messages"] = 23,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The short names of the services that have an address, such as <c>dynamodb</c>.</summary>
    public static IEnumerable<string> Names => Numbers.Keys;

    /// <summary>The number of <paramref name="service"/> (<c>dynamodb</c>, or <c>com.amazonaws.eu-central-1.dynamodb</c>); null when it has none.</summary>
    public static int? NumberOf(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Numbers.TryGetValue(service[(service.LastIndexOf('.') + 1)..], out var n) ? n : null;
    }

    /// <summary>The endpoint address of <paramref name="service"/>, such as <c>198.18.1.10</c> for <c>dynamodb</c>.</summary>
    public static string? AddressOf(string service) =>
        NumberOf(service) is { } n ? string.Create(CultureInfo.InvariantCulture, $"198.18.{n}.10") : null;

    /// <summary>The services AWS publishes an AWS-managed prefix list for (the gateway endpoint services).</summary>
    private static readonly ImmutableArray<string> PrefixListServices = ["dynamodb", "s3"];

    /// <summary>
    /// The id of the AWS-managed prefix list of <paramref name="service"/> (<c>com.amazonaws.{region}.{service}</c>), or
    /// null when AWS publishes none for it: <c>pl-19818</c> and the service number in three digits, so
    /// <c>pl-19818001</c> for dynamodb (198.18.1.0/24) and <c>pl-19818002</c> for s3, the same in every region and run.
    /// </summary>
    public static string? PrefixListIdOf(string service) =>
        NumberOf(service) is { } n && PrefixListServices.Contains(service[(service.LastIndexOf('.') + 1)..], StringComparer.OrdinalIgnoreCase)
            ? string.Create(CultureInfo.InvariantCulture, $"pl-19818{n:D3}")
            : null;

    /// <summary>
    /// The AWS-managed prefix lists of <paramref name="region"/>, <c>com.amazonaws.{region}.dynamodb</c> and <c>.s3</c>,
    /// each holding its service's block (<c>198.18.N.0/24</c>): security group rules may name them as AWS allows.
    /// </summary>
    public static ImmutableArray<PrefixList> ManagedPrefixLists(string region) =>
        [.. PrefixListServices.Select(service => new PrefixList(
            PrefixListIdOf(service)!, string.Empty, $"com.amazonaws.{region}.{service}", "IPv4", 1,
            [new PrefixListEntry(string.Create(CultureInfo.InvariantCulture, $"198.18.{NumberOf(service)}.0/24"))]))];

    /// <summary>The ids of every prefix list a security group rule of <paramref name="model"/> may name: its own and the region's managed ones.</summary>
    public static HashSet<string> KnownPrefixListIds(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.PrefixLists.Concat(ManagedPrefixLists(model.Account.Region)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A regional service's own name, <c>{service}.{region}.{urlSuffix}</c> (e.g. <c>dynamodb.eu-central-1.amazonaws.com</c>).</summary>
    public static string RegionalName(string service, string region, string urlSuffix = "amazonaws.com") =>
        $"{service}.{region}.{urlSuffix}";

    /// <summary>
    /// The domain of DynamoDB's account-based endpoints, <c>ddb.{region}.{urlSuffix}</c>: current SDKs send requests to
    /// <c>{account-id}.ddb.{region}.{urlSuffix}</c> when their credentials carry an account id (AWS's "account-based
    /// endpoints"). Every one-label name under it is DynamoDB's and answers at DynamoDB's address.
    /// </summary>
    public static string DynamoDbAccountDomain(string region, string urlSuffix = "amazonaws.com")
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        return $"ddb.{region}.{urlSuffix}";
    }

    /// <summary>
    /// The domains whose every one-label child is a service's name, with that service's address: DynamoDB's
    /// account-based endpoints (<see cref="DynamoDbAccountDomain"/>).
    /// </summary>
    public static FrozenDictionary<string, string> HostDomains(string region, string urlSuffix = "amazonaws.com") =>
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [DynamoDbAccountDomain(region, urlSuffix)] = AddressOf("dynamodb")!,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The names DynamoDB's public endpoint answers to, for its certificate: the regional name
    /// <c>dynamodb.{region}.{urlSuffix}</c> (the subject, as on AWS) and the account-based endpoints,
    /// <c>*.ddb.{region}.{urlSuffix}</c>.
    /// </summary>
    public static ImmutableArray<string> DynamoDbNames(string region, string urlSuffix = "amazonaws.com") =>
        [RegionalName("dynamodb", region, urlSuffix), "*." + DynamoDbAccountDomain(region, urlSuffix)];

    /// <summary>
    /// The names a client uses for the services and their addresses: <c>{service}.{region}.{urlSuffix}</c> for every
    /// service but <c>execute-api</c> (whose names belong to interface endpoints), plus the global names of STS, S3 and IAM.
    /// </summary>
    public static FrozenDictionary<string, string> HostNames(string region, string urlSuffix = "amazonaws.com")
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in Numbers.Keys.Where(s => s != "execute-api" && s != "iam" && s != "route53"))
        {
            names[RegionalName(service, region, urlSuffix)] = AddressOf(service)!;
        }

        names[$"sts.{urlSuffix}"] = AddressOf("sts")!;
        names[$"s3.{urlSuffix}"] = AddressOf("s3")!;
        names[$"iam.{urlSuffix}"] = AddressOf("iam")!;
        names[$"route53.{urlSuffix}"] = AddressOf("route53")!;
        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
