using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>
/// DynamoDB's account-based endpoints, <c>{account-id}.ddb.{region}.amazonaws.com</c>, which current SDKs use when their
/// credentials carry an account id: answered as <c>dynamodb.{region}.amazonaws.com</c> is, with the service's address
/// (reached through a gateway endpoint's route like the regional name), for any account id, over real UDP packets.
/// An interface endpoint's private DNS covers the regional name only, as the DynamoDB guide documents.
/// </summary>
public sealed class AccountEndpointNamesTests
{
    private const string Regional = "dynamodb.eu-central-1.amazonaws.com";
    private const string AccountName = "123456789012.ddb.eu-central-1.amazonaws.com";

    [Theory]
    [InlineData(AccountName)]
    [InlineData("000000000000.ddb.eu-central-1.amazonaws.com")]
    [InlineData("111122223333.DDB.EU-CENTRAL-1.AMAZONAWS.COM")]
    public async Task ResolveAsync_AccountEndpointName_TheRegionalNamesAddress(string name)
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());
        using var socket = Loopback.Udp("127.0.0.95");
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, socket, null);

        var regional = await UdpQuery.AskAsync(listener.UdpEndPoint!, Regional);
        var account = await UdpQuery.AskAsync(listener.UdpEndPoint!, name);

        Assert.Equal(["198.18.1.10"], UdpQuery.Addresses(regional));
        Assert.Equal(DnsResponseCode.NoError, account.ResponseCode);
        Assert.Equal(UdpQuery.Addresses(regional), UdpQuery.Addresses(account));
        Assert.Equal(name, Assert.Single(account.Answers).Name, ignoreCase: true);
    }

    [Fact]
    public async Task ResolveAsync_AccountDomainItselfAndNamesTwoLabelsBelow_NoDataAndNxDomain()
    {
        await using var service = new DnsService();
        service.Apply(TestModels.ApiOnly());
        using var socket = Loopback.Udp("127.0.0.96");
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, socket, null);

        var domain = await UdpQuery.AskAsync(listener.UdpEndPoint!, "ddb.eu-central-1.amazonaws.com");
        var deeper = await UdpQuery.AskAsync(listener.UdpEndPoint!, "x." + AccountName);
        var otherRegion = await UdpQuery.AskAsync(listener.UdpEndPoint!, "123456789012.ddb.us-west-2.amazonaws.com");

        Assert.Equal(DnsResponseCode.NoError, domain.ResponseCode);
        Assert.Empty(domain.Answers);
        Assert.Equal(DnsResponseCode.NXDomain, deeper.ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, otherRegion.ResponseCode);
    }

    [Fact]
    public async Task ResolveAsync_InterfaceEndpointWithPrivateDns_RegionalNameTheInterfacesAccountNameTheServiceAddress()
    {
        var model = TestModels.WithDynamoDbInterfaceEndpoint(TestModels.ApiOnly(), "vpce-0eeeeeeeeeeeeeeee", 160, privateDns: true);
        await using var service = new DnsService();
        service.Apply(model);
        using var socket = Loopback.Udp("127.0.0.97");
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, socket, null);

        var regional = await UdpQuery.AskAsync(listener.UdpEndPoint!, Regional);
        var account = await UdpQuery.AskAsync(listener.UdpEndPoint!, AccountName);

        Assert.Equal(["10.0.1.160", "10.0.2.160"], UdpQuery.Addresses(regional));
        Assert.Equal(["198.18.1.10"], UdpQuery.Addresses(account));
    }

    [Theory]
    [InlineData("dynamodb.eu-central-1.api.aws")]
    [InlineData("execute-api.eu-central-1.api.aws")]
    public async Task ResolveAsync_DualStackApiAwsNameWithPrivateDnsEndpoint_NxDomainNotTheInterfaces(string name)
    {
        // AWS's private DNS covers "the default public DNS name for the service for the Region"; the dual-stack api.aws
        // names only for the services that document them, none of which the sandbox serves (docs/dns.md).
        var model = TestModels.WithDynamoDbInterfaceEndpoint(TestModels.ApiOnly(), "vpce-0eeeeeeeeeeeeeeee", 160, privateDns: true);
        await using var service = new DnsService();
        service.Apply(model);
        using var socket = Loopback.Udp("127.0.0.98");
        await using var listener = service.StartVpcResolver(TestModels.ApiVpc, socket, null);

        var dualStack = await UdpQuery.AskAsync(listener.UdpEndPoint!, name);

        Assert.Equal(DnsResponseCode.NXDomain, dualStack.ResponseCode);
        Assert.Empty(dualStack.Answers);
        Assert.Equal(string.Empty, Assert.Single(dualStack.Authorities).Name);
    }
}
