using System.Net;
using System.Net.Sockets;
using Cloister.Model.Network;
using Cloister.Network.Placement;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

/// <summary>Real connections from hosts' namespaces to listeners the sandbox opened at region service addresses.</summary>
public sealed class ServiceOriginTests(OriginFixture fixture) : IClassFixture<OriginFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly IPAddress DynamoDb = IPAddress.Parse(RegionServices.AddressOf("dynamodb")!);
    private static readonly IPAddress S3 = IPAddress.Parse(RegionServices.AddressOf("s3")!);

    private Sandbox Sandbox => fixture.Sandbox;

    [Fact]
    public async Task OriginOf_HostRoutedThroughItsGatewayEndpoint_NamesItsVpcAndTheEndpoint()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 443);

        var origin = await OriginOfConnectionAsync(listener, Host("a1"));

        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", "10.50.1.10"), origin);
    }

    [Fact]
    public async Task OriginOf_HostsOfOtherVpcs_EachNamesItsOwnVpcAndEndpoint()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 80);

        // B is peered with A and shares its router namespace; C has a router of its own.
        var b = await OriginOfConnectionAsync(listener, Host("b1"));
        var c = await OriginOfConnectionAsync(listener, Host("c1"));
        var a = await OriginOfConnectionAsync(listener, Host("a3"));

        Assert.Equal(Host("b1").RouterNamespace, Host("a1").RouterNamespace);
        Assert.Equal(new ServiceOrigin("vpc-b", "vpce-b-ddb", "10.60.1.10"), b);
        Assert.Equal(new ServiceOrigin("vpc-c", "vpce-c-ddb", "10.70.1.10"), c);
        Assert.Equal(new ServiceOrigin("vpc-a", "vpce-a-ddb", "10.50.3.10"), a);
    }

    [Fact]
    public async Task OriginOf_HostRoutedThroughANatGateway_IsOutside()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 443);

        var origin = await OriginOfConnectionAsync(listener, Host("a2"));

        Assert.Equal(ServiceOrigin.Outside("10.50.2.10"), origin);
    }

    [Fact]
    public async Task OriginOf_ServiceWhoseEndpointTheSubnetLacks_IsOutsideAndAnotherServicesEndpointIsNamed()
    {
        using var listener = Sandbox.OpenTcpListener(S3, 443);

        // A3 has DynamoDB's endpoint and a NAT route: S3 is reached through the NAT route. B1 has S3's own endpoint.
        var a = await OriginOfConnectionAsync(listener, Host("a3"));
        var b = await OriginOfConnectionAsync(listener, Host("b1"));

        Assert.Equal(ServiceOrigin.Outside("10.50.3.10"), a);
        Assert.Equal(new ServiceOrigin("vpc-b", "vpce-b-s3", "10.60.1.10"), b);
    }

    [Fact]
    public async Task OriginOf_FunctionWithoutVpc_IsOutside()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 443);

        var origin = await OriginOfConnectionAsync(listener, Sandbox.HostFor(ProcessPlacement.NoVpc));

        Assert.Equal(ServiceOrigin.Outside(PlanBuilder.PublicFunctionAddress), origin);
    }

    [Fact]
    public async Task OriginOf_ConnectionFromInsideTheRegion_IsOutside()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 443);
        using var client = Sandbox.CreateInNamespace(Sandbox.RegionNamespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

        var origin = await OriginOfConnectionAsync(listener, client);

        Assert.Equal(ServiceOrigin.Outside(DynamoDb.ToString()), origin);
    }

    [Fact]
    public async Task OriginOf_LoopbackListener_IsNull()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        var origin = await OriginOfConnectionAsync(listener, client);

        Assert.Null(origin);
    }

    [Fact]
    public async Task OriginOf_ModelAppliedLive_FollowsTheNewModel()
    {
        using var listener = Sandbox.OpenTcpListener(DynamoDb, 443);
        var model = Sandbox.Model;
        var renamed = model with { VpcEndpoints = [.. model.VpcEndpoints.Select(e => e.Id == "vpce-c-ddb" ? e with { Id = "vpce-c-ddb2" } : e)] };
        try
        {
            await Sandbox.ApplyAsync(renamed);

            var origin = await OriginOfConnectionAsync(listener, Host("c1"));

            Assert.Equal(new ServiceOrigin("vpc-c", "vpce-c-ddb2", "10.70.1.10"), origin);
        }
        finally
        {
            await Sandbox.ApplyAsync(model);
        }
    }

    private HostPlan Host(string name) => Sandbox.FindHost(name) ?? throw new InvalidOperationException($"No host {name}.");

    private Task<ServiceOrigin?> OriginOfConnectionAsync(Socket listener, HostPlan from)
    {
        var client = Sandbox.OpenTcpClient(IPAddress.Parse(from.Address));
        return OriginOfConnectionAsync(listener, client, dispose: true);
    }

    private Task<ServiceOrigin?> OriginOfConnectionAsync(Socket listener, Socket client) => OriginOfConnectionAsync(listener, client, dispose: false);

    /// <summary>Connects <paramref name="client"/> to <paramref name="listener"/> and asks the sandbox where the accepted connection came from.</summary>
    private async Task<ServiceOrigin?> OriginOfConnectionAsync(Socket listener, Socket client, bool dispose)
    {
        try
        {
            using var cancel = new CancellationTokenSource(Timeout);
            var accept = listener.AcceptAsync(cancel.Token).AsTask();
            await client.ConnectAsync(listener.LocalEndPoint!, cancel.Token);
            using var accepted = await accept;
            return Sandbox.OriginOf(accepted);
        }
        finally
        {
            if (dispose)
            {
                client.Dispose();
            }
        }
    }
}
