using System.Collections.Immutable;
using System.Net;
using Cloister.Model;
using Cloister.Model.Dns;
using Cloister.Model.Network;

namespace Cloister.Dns.Tests.Support;

/// <summary>Another Cloister resolver on a loopback address standing in for a corporate DNS server that rules forward to.</summary>
internal sealed class Upstream : IAsyncDisposable
{
    private const string VpcId = "vpc-0eeeeeeeeeeeeeee0";

    private Upstream(RunningResolver resolver, string address)
    {
        Resolver = resolver;
        EndPoint = new IPEndPoint(IPAddress.Parse(address), resolver.Port);
    }

    public RunningResolver Resolver { get; }

    public IPEndPoint EndPoint { get; }

    public TargetAddress Target => new(EndPoint.Address.ToString(), EndPoint.Port);

    /// <summary>Serves private zones made of <paramref name="records"/> (name, A value), one zone per record's parent domain.</summary>
    public static Upstream Start(string address, params (string Name, string Value)[] records)
    {
        var zones = records
            .GroupBy(r => Cloister.Dns.Wire.DnsName.Parent(r.Name)!)
            .Select((g, i) => new HostedZone($"ZUPSTREAM{i}", $"Zone{i}", g.Key, true, [VpcId], [.. g.Select(r => TestModels.Set(r.Name, "A", 120, r.Value))]))
            .ToImmutableArray();
        var model = new CloudModel
        {
            Vpcs = [new Vpc(VpcId, "Upstream", "192.168.0.0/16", true, true)],
            HostedZones = zones,
        };
        return new Upstream(RunningResolver.Start(model, VpcId, address: address), address);
    }

    public ValueTask DisposeAsync() => Resolver.DisposeAsync();
}
