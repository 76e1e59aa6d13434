using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// EC2 resource names (<c>i-....{region}.compute.internal</c>) at the VPC resolver, as the instance's
/// <c>PrivateDnsNameOptions</c> enable them; the IP name keeps answering whatever they say.
/// </summary>
public sealed class ResourceNameTests
{
    private const string ResourceName = TestModels.InstanceId + ".eu-central-1.compute.internal";

    private static async Task<DnsMessage> Ask(DnsService service, string name, DnsRecordType type = DnsRecordType.A, string vpc = TestModels.ApiVpc) =>
        await service.QueryAsync(vpc, DnsMessage.CreateQuery(7, name, type));

    private static DnsService Serve(CloudModel model)
    {
        var service = new DnsService(new DnsServiceOptions());
        service.Apply(model);
        return service;
    }

    private static CloudModel WithOptions(PrivateDnsNameOptions options, CloudModel? model = null)
    {
        model ??= TestModels.ApiOnly();
        return model with { Instances = [.. model.Instances.Select(i => i with { PrivateDnsNameOptions = options })] };
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameWithARecordEnabled_AnswersInstanceAddressWithTtl60()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true)));

        var answer = await Ask(service, ResourceName);

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        var record = Assert.Single(answer.Answers);
        Assert.Equal(DnsRecordType.A, record.Type);
        Assert.Equal("10.0.1.5", record.Data.ToPresentation());
        Assert.Equal(60u, record.Ttl);
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameInOtherCase_AnswersAsDnsIgnoresCase()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true)));

        var answer = await Ask(service, ResourceName.ToUpperInvariant());

        Assert.Equal("10.0.1.5", Assert.Single(answer.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_IpNameInstanceWithARecordEnabled_AnswersBothNames()
    {
        // The record options are independent of the host name type: an ip-name instance can have its resource name answered too.
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.IpName, EnableResourceNameDnsARecord: true)));

        Assert.Equal("10.0.1.5", Assert.Single((await Ask(service, ResourceName)).Answers).Data.ToPresentation());
        Assert.Equal("10.0.1.5", Assert.Single((await Ask(service, "ip-10-0-1-5.eu-central-1.compute.internal")).Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameInstance_IpNameAndPtrStillAnswered()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true)));

        var ipName = await Ask(service, "ip-10-0-1-5.eu-central-1.compute.internal");
        var ptr = await Ask(service, "5.1.0.10.in-addr.arpa", DnsRecordType.PTR);

        Assert.Equal("10.0.1.5", Assert.Single(ipName.Answers).Data.ToPresentation());
        Assert.Equal("ip-10-0-1-5.eu-central-1.compute.internal.", Assert.Single(ptr.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameAaaaQuery_NoDataWithSoa()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true, EnableResourceNameDnsAAAARecord: true)));

        var answer = await Ask(service, ResourceName, DnsRecordType.AAAA);

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Empty(answer.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(answer.Authorities).Type);
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameWithOnlyAaaaEnabled_ANoData()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsAAAARecord: true)));

        var answer = await Ask(service, ResourceName);

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Empty(answer.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(answer.Authorities).Type);
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameWithNoRecordEnabled_NxDomain()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName)));

        var answer = await Ask(service, ResourceName);

        Assert.Equal(DnsResponseCode.NXDomain, answer.ResponseCode);
        Assert.Empty(answer.Answers);
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameOfUnknownInstanceOrBelowOne_NxDomain()
    {
        await using var service = Serve(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true)));

        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "i-0fffffffffffffff0.eu-central-1.compute.internal")).ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, (await Ask(service, "www." + ResourceName)).ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_ResourceNameFromAnotherVpc_NxDomain()
    {
        // Like IP names, a VPC's resolver answers the resource names of its own instances only.
        var model = WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true));
        model = model with { Vpcs = model.Vpcs.Add(new Vpc("vpc-0000000000000000b", "Other", "10.9.0.0/16", true, true)) };
        await using var service = Serve(model);

        var answer = await Ask(service, ResourceName, vpc: "vpc-0000000000000000b");

        Assert.Equal(DnsResponseCode.NXDomain, answer.ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_UsEast1ResourceName_Ec2InternalDomain()
    {
        var model = WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true), TestModels.ApiOnly() with { Account = new AccountContext(TestModels.Account, "us-east-1") });
        await using var service = Serve(model);

        var answer = await Ask(service, TestModels.InstanceId + ".ec2.internal");

        Assert.Equal("10.0.1.5", Assert.Single(answer.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task VpcResolver_ResourceNameOverUdp_AnsweredOnTheWire()
    {
        await using var resolver = RunningResolver.Start(WithOptions(new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true)), TestModels.ApiVpc);

        var answer = await UdpQuery.AskAsync(resolver.Listener.UdpEndPoint!, ResourceName + ".");

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Equal(["10.0.1.5"], UdpQuery.Addresses(answer));
        Assert.Equal(60u, Assert.Single(answer.Answers).Ttl);
    }
}
