using System.Collections.Frozen;
using System.Net;
using Cloister.Model.Network;

namespace Cloister.Dns.Resolution;

/// <summary>
/// The addresses the resolvers answer for the region's AWS service names. They come from
/// <see cref="RegionalServices"/>, the map the network fabric also places the services with, so a name always
/// resolves to where the service really listens (<c>dynamodb.{region}.amazonaws.com</c> is <c>198.18.1.10</c>).
/// </summary>
public static class RegionalServiceAddresses
{
    /// <summary>The service names with an address, such as <c>dynamodb</c>.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } = [.. RegionalServices.Names.Order(StringComparer.Ordinal)];

    /// <summary>The address of <paramref name="service"/> (such as <c>dynamodb</c>), or null when the sandbox has none.</summary>
    public static IPAddress? AddressOf(string service) =>
        RegionalServices.AddressOf(service) is { } address ? IPAddress.Parse(address) : null;

    /// <summary>The regional host names and their addresses, such as <c>dynamodb.eu-central-1.amazonaws.com</c>; STS, S3, IAM and Route 53 also have their global names.</summary>
    public static FrozenDictionary<string, IPAddress> HostNames(string region, string urlSuffix = "amazonaws.com") =>
        RegionalServices.HostNames(region, urlSuffix).ToFrozenDictionary(p => p.Key, p => IPAddress.Parse(p.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The domains whose every one-label child resolves to a service's address: <c>ddb.{region}.amazonaws.com</c>, whose
    /// children are DynamoDB's account-based endpoints (<c>{account-id}.ddb.{region}.amazonaws.com</c>).
    /// </summary>
    public static FrozenDictionary<string, IPAddress> HostDomains(string region, string urlSuffix = "amazonaws.com") =>
        RegionalServices.HostDomains(region, urlSuffix).ToFrozenDictionary(p => p.Key, p => IPAddress.Parse(p.Value), StringComparer.OrdinalIgnoreCase);
}
