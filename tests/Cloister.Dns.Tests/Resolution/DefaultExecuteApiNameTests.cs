using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// API Gateway's default names, <c>{api-id}.execute-api.{region}.amazonaws.com</c>, as public DNS answers them: every
/// label shaped as an API id, known or not, is the Region's front end (198.18.6.10, where a public API is served and any
/// other id is 403), with AAAA NODATA; a VPC whose execute-api endpoint has private DNS answers them with the endpoint.
/// </summary>
public sealed class DefaultExecuteApiNameTests
{
    private const string FrontEnd = "198.18.6.10";

    private static Task<DnsMessage> Ask(DnsService service, string vpc, string name, DnsRecordType type = DnsRecordType.A) =>
        service.QueryAsync(vpc, DnsMessage.CreateQuery(21, name, type)).AsTask();

    private static string[] Addresses(DnsMessage response) =>
        [.. response.Answers.Where(r => r.Type is DnsRecordType.A or DnsRecordType.AAAA).Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal)];

    private static string Name(string label) => $"{label}.execute-api.{TestModels.Region}.amazonaws.com";

    [Theory]
    [InlineData(TestModels.ApiId)]
    [InlineData("zz9900aa11")]
    [InlineData("ZZ9900AA11")]
    public async Task ResolveAsync_ApiIdInVpcWithoutExecuteApiPrivateDns_TheRegionalFrontEndWithAaaaNoData(string label)
    {
        await using var service = new DnsService();
        service.Apply(TestModels.TwoVpcs());

        var a = await Ask(service, TestModels.ClientVpc, Name(label));
        var aaaa = await Ask(service, TestModels.ClientVpc, Name(label), DnsRecordType.AAAA);

        Assert.Equal([FrontEnd], Addresses(a));
        Assert.Equal(60u, Assert.Single(a.Answers).Ttl);
        Assert.Equal((DnsResponseCode.NoError, 0), (aaaa.ResponseCode, aaaa.Answers.Length));
        Assert.Contains(aaaa.Authorities, r => r.Type == DnsRecordType.SOA);
    }

    [Fact]
    public async Task ResolveAsync_ApiIdAtThePublicResolver_TheRegionalFrontEnd()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.TwoVpcs());

        var response = await Ask(service, "public", Name("q6t71pmdq7"));

        Assert.Equal([FrontEnd], Addresses(response));
    }

    [Fact]
    public async Task ResolveAsync_ApiIdInVpcWithExecuteApiPrivateDns_TheEndpointsAddresses()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.TwoVpcs());

        var response = await Ask(service, TestModels.ApiVpc, Name("zz9900aa11"));

        Assert.Equal(["10.0.1.100", "10.0.2.100"], Addresses(response));
    }

    [Theory]
    [InlineData("not-an-api")]
    [InlineData("abc")]
    [InlineData("abcdefghijk")]
    [InlineData("d-zz99zz99zz")]
    public async Task ResolveAsync_LabelNotShapedAsAnApiId_NxDomain(string label)
    {
        await using var service = new DnsService();
        service.Apply(TestModels.TwoVpcs());

        var response = await Ask(service, TestModels.ClientVpc, Name(label));

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_TwoLabelsAboveExecuteApi_NxDomainAndTheDomainItselfNoData()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.TwoVpcs());

        var deeper = await Ask(service, TestModels.ClientVpc, "x." + Name("zz9900aa11"));
        var domain = await Ask(service, TestModels.ClientVpc, $"execute-api.{TestModels.Region}.amazonaws.com");

        Assert.Equal(DnsResponseCode.NXDomain, deeper.ResponseCode);
        Assert.Equal((DnsResponseCode.NoError, 0), (domain.ResponseCode, domain.Answers.Length));
    }
}
