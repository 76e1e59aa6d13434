using System.Collections.Frozen;
using System.Net;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Where the sandbox's regional AWS service endpoints live: each service's regional name resolves to one
/// fixed address in 198.18.0.0/15 (RFC 2544 benchmarking space, never routed on the Internet). The host
/// and the network fabric use this same map to place the services, so DNS and routing agree.
/// </summary>
public static class RegionalServiceAddresses
{
    /// <summary>Services and the last two octets of their address under 198.18.0.0/16, in a fixed order that never changes.</summary>
    private static readonly (string Service, byte Third, byte Fourth)[] Services =
    [
        ("dynamodb", 0, 10),
        ("sts", 0, 11),
        ("lambda", 0, 12),
        ("logs", 0, 13),
        ("apigateway", 0, 14),
        ("cloudformation", 0, 15),
        ("s3", 0, 16),
        ("sqs", 0, 17),
        ("sns", 0, 18),
        ("ssm", 0, 19),
        ("secretsmanager", 0, 20),
        ("kms", 0, 21),
        ("monitoring", 0, 22),
        ("events", 0, 23),
        ("ec2", 0, 24),
        ("elasticloadbalancing", 0, 25),
        ("route53resolver", 0, 26),
        ("execute-api", 0, 27),
    ];

    /// <summary>The service names with an address, such as <c>dynamodb</c>.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } = [.. Services.Select(s => s.Service)];

    /// <summary>The address of <paramref name="service"/> (such as <c>dynamodb</c>), or null when the sandbox has none.</summary>
    public static IPAddress? AddressOf(string service)
    {
        foreach (var (name, third, fourth) in Services)
        {
            if (name.Equals(service, StringComparison.OrdinalIgnoreCase))
            {
                return new IPAddress([198, 18, third, fourth]);
            }
        }

        return null;
    }

    /// <summary>The regional host names and their addresses, such as <c>dynamodb.eu-central-1.amazonaws.com</c>; <c>iam</c> and <c>sts</c> also have their global names.</summary>
    public static FrozenDictionary<string, IPAddress> HostNames(string region, string urlSuffix = "amazonaws.com")
    {
        var names = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);
        foreach (var (service, third, fourth) in Services)
        {
            if (service == "execute-api")
            {
                continue;
            }

            names[$"{service}.{region}.{urlSuffix}"] = new IPAddress([198, 18, third, fourth]);
        }

        names[$"sts.{urlSuffix}"] = AddressOf("sts")!;
        names[$"s3.{urlSuffix}"] = AddressOf("s3")!;
        names[$"iam.{urlSuffix}"] = new IPAddress([198, 18, 0, 28]);
        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
