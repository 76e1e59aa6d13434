using Cloister.Dns.Resolution;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// The names a DynamoDB interface endpoint's certificate carries (<see cref="VpcEndpointDnsNames.CertificateNames"/>)
/// against what the resolvers answer: the names AWS gives the endpoint (regional and one per zone, both public, and
/// <c>dynamodb.{region}.amazonaws.com</c> in the VPC with private DNS) resolve to its interfaces, and the subject comes
/// first.
/// </summary>
public sealed class VpcEndpointCertificateNamesTests
{
    private const string Vpce = "vpce-0eeeeeeeeeeeeeeee";
    private const string Regional = "dynamodb.eu-central-1.amazonaws.com";

    private static CloudModel Model(bool privateDns) => TestModels.WithDynamoDbInterfaceEndpoint(TestModels.TwoVpcs(), Vpce, 160, privateDns);

    private static string EndpointName(string zone = "") => TestModels.DynamoDbEndpointName(Vpce, zone);

    [Fact]
    public void CertificateNames_PrivateDnsOn_SubjectTheRegionalServiceNameThenTheEndpointsNames()
    {
        var model = Model(privateDns: true);

        var names = VpcEndpointDnsNames.CertificateNames(model.VpcEndpoints[^1], model);

        Assert.Equal(
            [
                Regional,
                EndpointName(), "*." + EndpointName(),
                EndpointName("eu-central-1a"), "*." + EndpointName("eu-central-1a"),
                EndpointName("eu-central-1b"), "*." + EndpointName("eu-central-1b"),
            ],
            names);
    }

    [Fact]
    public void CertificateNames_PrivateDnsOff_SubjectTheEndpointsRegionalNameAndNoServiceName()
    {
        var model = Model(privateDns: false);

        var names = VpcEndpointDnsNames.CertificateNames(model.VpcEndpoints[^1], model);

        Assert.Equal(EndpointName(), names[0]);
        Assert.DoesNotContain(Regional, names);
        Assert.Equal(6, names.Count);
    }

    [Fact]
    public async Task ResolveAsync_CertificatesExactNames_TheEndpointsInterfacesInItsVpc()
    {
        var model = Model(privateDns: true);
        await using var service = new DnsService();
        service.Apply(model);

        var answers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in VpcEndpointDnsNames.CertificateNames(model.VpcEndpoints[^1], model).Where(n => !n.StartsWith('*')))
        {
            answers[name] = UdpQuery.Addresses(await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, DnsRecordType.A)));
        }

        Assert.Equal(["10.0.1.160", "10.0.2.160"], answers[Regional]);
        Assert.Equal(["10.0.1.160", "10.0.2.160"], answers[EndpointName()]);
        Assert.Equal(["10.0.1.160"], answers[EndpointName("eu-central-1a")]);
        Assert.Equal(["10.0.2.160"], answers[EndpointName("eu-central-1b")]);
    }

    [Fact]
    public async Task ResolveAsync_EndpointSpecificNamesFromAnotherVpc_TheInterfacesRegionalNameTheServiceAddress()
    {
        var model = Model(privateDns: true);
        await using var service = new DnsService();
        service.Apply(model);

        var regional = await service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(1, EndpointName(), DnsRecordType.A));
        var zonal = await service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(2, EndpointName("eu-central-1b"), DnsRecordType.A));
        var serviceName = await service.QueryAsync(TestModels.ClientVpc, DnsMessage.CreateQuery(3, Regional, DnsRecordType.A));

        Assert.Equal(["10.0.1.160", "10.0.2.160"], UdpQuery.Addresses(regional));
        Assert.Equal(["10.0.2.160"], UdpQuery.Addresses(zonal));
        Assert.Equal(RegionalServiceAddresses.HostNames("eu-central-1")[Regional].ToString(), Assert.Single(UdpQuery.Addresses(serviceName)));
    }
}
