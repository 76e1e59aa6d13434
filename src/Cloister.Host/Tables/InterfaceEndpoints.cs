using Cloister.Dns.Resolution;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Host.Tables;

/// <summary>
/// The interface VPC endpoints Cloister serves (execute-api on the gateway, dynamodb on the table service), the names a
/// DynamoDB endpoint's certificate covers, and the warnings for the endpoints of every other service.
/// </summary>
internal static class InterfaceEndpoints
{
    /// <summary>The services whose interface endpoints answer: everything else only gets its network interfaces.</summary>
    public static readonly IReadOnlySet<string> Served = new HashSet<string>(["execute-api", "dynamodb"], StringComparer.Ordinal);

    /// <summary>The model's interface endpoints of <paramref name="service"/> (its short name, such as <c>dynamodb</c>).</summary>
    public static IEnumerable<VpcEndpoint> Of(CloudModel model, string service) =>
        model.VpcEndpoints.Where(e => e.Type == VpcEndpointType.Interface && e.ServiceShortName == service);

    /// <summary>One warning per interface endpoint of a service Cloister does not serve: its interfaces exist, nothing answers on them.</summary>
    public static IEnumerable<string> UnservedWarnings(CloudModel model) =>
        model.VpcEndpoints
            .Where(e => e.Type == VpcEndpointType.Interface && !Served.Contains(e.ServiceShortName))
            .Select(e => $"{e.LogicalId} ({e.Id}) is an interface endpoint of {e.ServiceName}, which Cloister does not serve: its network interfaces exist but nothing answers on them (served: {string.Join(", ", Served.Order(StringComparer.Ordinal))})");

    /// <summary>
    /// The DNS names a DynamoDB interface endpoint answers for, as its certificate's subject alternative names: the
    /// endpoint-specific regional and zonal names with their subdomains (<c>*.vpce-...dynamodb.{region}.vpce.amazonaws.com</c>),
    /// and the regional <c>dynamodb.{region}.amazonaws.com</c> when private DNS is on.
    /// </summary>
    public static IReadOnlyList<string> CertificateNames(VpcEndpoint endpoint, CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(model);
        var region = model.Account.Region;
        var suffix = model.Account.UrlSuffix;
        var names = new List<string>();
        void Add(string name)
        {
            names.Add(name);
            names.Add("*." + name);
        }

        Add(VpcEndpointDnsNames.RegionalName(endpoint, region, suffix));
        var zones = endpoint.NetworkInterfaces
            .Select(n => model.Subnets.FirstOrDefault(s => s.Id == n.SubnetId)?.AvailabilityZone)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var zone in zones)
        {
            Add(VpcEndpointDnsNames.ZonalName(endpoint, zone, region, suffix));
        }

        if (endpoint.PrivateDnsEnabled)
        {
            names.Add(VpcEndpointDnsNames.PrivateDnsName(endpoint, region, suffix));
        }

        return names;
    }
}
