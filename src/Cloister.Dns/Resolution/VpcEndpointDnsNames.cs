using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Dns.Resolution;

/// <summary>
/// The DNS names AWS gives an interface VPC endpoint. The eight characters after the endpoint id are random
/// in AWS; Cloister derives them from the id so the same endpoint always has the same names.
/// </summary>
public static class VpcEndpointDnsNames
{
    /// <summary>The regional private DNS name of an interface endpoint's service: <c>execute-api.{region}.amazonaws.com</c>.</summary>
    public static string PrivateDnsName(VpcEndpoint endpoint, string region, string urlSuffix = "amazonaws.com")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return $"{endpoint.ServiceShortName}.{region}.{urlSuffix}";
    }

    /// <summary>The endpoint-specific regional name: <c>{vpce-id}-{8 chars}.{service}.{region}.vpce.amazonaws.com</c>.</summary>
    public static string RegionalName(VpcEndpoint endpoint, string region, string urlSuffix = "amazonaws.com")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return $"{endpoint.Id}-{Suffix(endpoint.Id)}.{endpoint.ServiceShortName}.{EndpointZone(region, urlSuffix)}";
    }

    /// <summary>The endpoint-specific name in one availability zone: <c>{vpce-id}-{8 chars}-{az}.{service}.{region}.vpce.amazonaws.com</c>.</summary>
    public static string ZonalName(VpcEndpoint endpoint, string availabilityZone, string region, string urlSuffix = "amazonaws.com")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return $"{endpoint.Id}-{Suffix(endpoint.Id)}-{availabilityZone}.{endpoint.ServiceShortName}.{EndpointZone(region, urlSuffix)}";
    }

    /// <summary>
    /// The public zone the endpoint-specific names of a Region live in: <c>{region}.vpce.amazonaws.com</c>. Negative answers
    /// for names in it carry its SOA.
    /// </summary>
    public static string EndpointZone(string region, string urlSuffix = "amazonaws.com") => $"{region}.vpce.{urlSuffix}";

    /// <summary>The name of a private API through an endpoint associated with it: <c>{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com</c>.</summary>
    public static string ApiAssociationName(string apiId, string vpcEndpointId, string region, string urlSuffix = "amazonaws.com") =>
        $"{apiId}-{vpcEndpointId}.execute-api.{region}.{urlSuffix}";

    /// <summary>
    /// The names a served interface endpoint's certificate carries, its subject first: the service's regional name
    /// (<c>dynamodb.{region}.amazonaws.com</c>, which AWS's DynamoDB certificate has as its subject) when private DNS is
    /// on, otherwise the endpoint's regional name; then the endpoint-specific regional and zonal names, each also with
    /// <c>*.</c>, and the service's regional name when private DNS is on. The zones are those of the endpoint's
    /// interfaces' subnets, in order.
    /// </summary>
    public static IReadOnlyList<string> CertificateNames(VpcEndpoint endpoint, CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(model);
        var region = model.Account.Region;
        var suffix = model.Account.UrlSuffix;
        var privateName = PrivateDnsName(endpoint, region, suffix);
        var regional = RegionalName(endpoint, region, suffix);
        var names = new List<string> { endpoint.PrivateDnsEnabled ? privateName : regional };
        void Add(string name)
        {
            names.Add(name);
            names.Add("*." + name);
        }

        Add(regional);
        var zones = endpoint.NetworkInterfaces
            .Select(n => model.Subnets.FirstOrDefault(s => s.Id == n.SubnetId)?.AvailabilityZone)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var zone in zones)
        {
            Add(ZonalName(endpoint, zone, region, suffix));
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The eight lowercase letters and digits AWS puts after the endpoint id.</summary>
    public static string Suffix(string vpcEndpointId) => VpcEndpointDnsSuffix.Of(vpcEndpointId);
}
