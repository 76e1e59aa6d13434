using Cloister.Dns.Resolution;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Network;

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

    private static CloudModel Model(bool privateDns)
    {
        var model = TestModels.TwoVpcs();
        var endpoint = TestModels.DynamoDbInterfaceEndpoint(Vpce, 160, privateDns);
        return model with { VpcEndpoints = model.VpcEndpoints.Add(endpoint) };
    }

    private static string EndpointName(string zone = "") =>
        $"{Vpce}-{VpcEndpointDnsSuffix.Of(Vpce)}{(zone.Length > 0 ? "-" + zone : "")}.dynamodb.eu-central-1.vpce.amazonaws.com";

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
            answers[name] = Addresses(await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(1, name, DnsRecordType.A)));
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

        Assert.Equal(["10.0.1.160", "10.0.2.160"], Addresses(regional));
        Assert.Equal(["10.0.2.160"], Addresses(zonal));
        Assert.Equal(RegionalServiceAddresses.HostNames("eu-central-1")[Regional].ToString(), Assert.Single(Addresses(serviceName)));
    }

    private static List<string> Addresses(DnsMessage response) =>
        [.. response.Answers.Where(a => a.Type == DnsRecordType.A).Select(a => ((AddressRecordData)a.Data).Address.ToString()).Order(StringComparer.Ordinal)];
}
