using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Cloister.Certificates;
using Cloister.Dns;
using Cloister.Dns.Wire;
using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

/// <summary>
/// ELB's DNS failover through a real resolver: the load balancers' health checks run against servers on the targets'
/// ENIs, and the resolver is handed <see cref="LoadBalancerService.NodeAddressesInService"/> whenever
/// <see cref="LoadBalancerService.TargetHealthChanged"/> is raised (as the stack host does), so the network load
/// balancer's name, its <c>dualstack.</c> form and the private zone's aliases to them follow the targets' health.
/// </summary>
public sealed class DnsFailoverTests(DnsFailoverFixture fixture) : IClassFixture<DnsFailoverFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);
    private readonly Lock _follow = new();
    private readonly StubTarget?[] _targets = new StubTarget?[DnsFailoverFixture.Targets.Length];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cloister-dnsfo-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private LoadBalancerService _balancers = null!;
    private DnsService _dns = null!;
    private IPEndPoint _resolver = null!;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < _targets.Length; i++)
        {
            Start(i);
        }

        var authority = SandboxCertificateAuthority.LoadOrCreate(Path.Combine(_folder, "ca"));
        _balancers = await LoadBalancerService.StartAsync(fixture.Sandbox.Model, fixture.Sandbox, c => authority.Issue([c.DomainName, .. c.SubjectAlternativeNames]));
        _dns = new DnsService(new DnsServiceOptions { AdditionalNames = InService() });
        _dns.Apply(fixture.Sandbox.Model);
        _balancers.TargetHealthChanged += (_, _) =>
        {
            // Serialized, so the last answer handed over was read after the last change.
            lock (_follow)
            {
                _dns.SetAdditionalNames(InService());
            }
        };
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _resolver = (IPEndPoint)udp.LocalEndPoint!;
        _dns.StartVpcResolver(DnsFailoverFixture.VpcId, udp, null);
    }

    public async Task DisposeAsync()
    {
        await _balancers.DisposeAsync();
        await _dns.DisposeAsync();
        for (var i = 0; i < _targets.Length; i++)
        {
            Stop(i);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Resolve_OneZoneLosesItsHealthyTarget_NlbNameAndAliasesAnswerOnlyTheOtherNodeUntilItRecovers()
    {
        var nodes = Nodes(DnsFailoverFixture.NlbDns);
        var albNodes = Nodes(DnsFailoverFixture.AlbDns);
        Assert.True(await AnswersAsync(DnsFailoverFixture.NlbDns, nodes), "both nodes while both zones have a healthy target");

        Stop(1);
        Assert.True(await AnswersAsync(DnsFailoverFixture.NlbDns, [nodes[0]]), "the second zone's node leaves the name");
        foreach (var name in new[] { $"dualstack.{DnsFailoverFixture.NlbDns}", DnsFailoverFixture.NlbAlias, DnsFailoverFixture.DualstackAlias })
        {
            var (addresses, ttls) = await ResolveAsync(name);
            Assert.Equal([nodes[0].ToString()], addresses);
            Assert.All(ttls, ttl => Assert.Equal(60u, ttl));
        }

        // Cross-zone load balancing is always on for an application load balancer: each node still has a healthy target.
        Assert.True(await BalancerFixture.EventuallyAsync(() => TargetSeen("http", DnsFailoverFixture.Targets[1], TargetHealthState.Unhealthy), Settle));
        Assert.Equal(Sorted(albNodes), (await ResolveAsync(DnsFailoverFixture.AlbDns)).Addresses);

        Start(1);
        Assert.True(await AnswersAsync(DnsFailoverFixture.NlbAlias, nodes), "the node returns when its zone's target recovers");
        Assert.Equal(Sorted(nodes), (await ResolveAsync(DnsFailoverFixture.NlbDns)).Addresses);
    }

    [Fact]
    public async Task Resolve_EveryZoneLosesItsHealthyTarget_NlbNameAnswersEveryNode()
    {
        var nodes = Nodes(DnsFailoverFixture.NlbDns);
        Assert.True(await AnswersAsync(DnsFailoverFixture.NlbDns, nodes));

        Stop(0);
        Assert.True(await AnswersAsync(DnsFailoverFixture.NlbDns, [nodes[1]]), "the first zone's node leaves the name");
        Stop(1);

        // No zone has a healthy target: ELB fails open and answers every node.
        Assert.True(await BalancerFixture.EventuallyAsync(() => TargetSeen("tcp", DnsFailoverFixture.Targets[1], TargetHealthState.Unhealthy), Settle));
        Assert.True(await AnswersAsync(DnsFailoverFixture.NlbDns, nodes), "every node when none qualifies");
        Assert.Equal(Sorted(nodes), (await ResolveAsync(DnsFailoverFixture.DualstackAlias)).Addresses);
    }

    private static string[] Sorted(IEnumerable<IPAddress> addresses) => [.. addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)];

    private Dictionary<string, IReadOnlyList<IPAddress>> InService() =>
        _balancers.NodeAddressesInService.ToDictionary(p => p.Key, p => (IReadOnlyList<IPAddress>)p.Value, StringComparer.OrdinalIgnoreCase);

    private ImmutableArray<IPAddress> Nodes(string name)
    {
        var nodes = _balancers.NodeAddresses[name];
        Assert.Equal(2, nodes.Length);
        return nodes;
    }

    /// <summary>Whether every node's checks of the target at <paramref name="address"/> in group <paramref name="group"/> found it <paramref name="state"/>.</summary>
    private bool TargetSeen(string group, string address, TargetHealthState state)
    {
        var views = _balancers.TargetHealthByNode
            .Where(t => t.Target.TargetGroupArn.Contains($"targetgroup/{group}/", StringComparison.Ordinal) && t.Target.Target == $"{address}:{DnsFailoverFixture.TargetPort}")
            .ToList();
        return views.Count > 0 && views.All(t => t.Target.State == state);
    }

    private async Task<bool> AnswersAsync(string name, IEnumerable<IPAddress> expected)
    {
        var want = Sorted(expected);
        var deadline = DateTime.UtcNow + Settle;
        while (DateTime.UtcNow < deadline)
        {
            if ((await ResolveAsync(name)).Addresses.SequenceEqual(want))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Asks the VPC's resolver over UDP for <paramref name="name"/>'s A records.</summary>
    private async Task<(string[] Addresses, uint[] Ttls)> ResolveAsync(string name)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var buffer = new byte[1232];
        Assert.True(DnsMessage.CreateQuery(42, name, DnsRecordType.A).TryWrite(buffer, out var written));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.SendToAsync(buffer.AsMemory(0, written), SocketFlags.None, _resolver, timeout.Token);
        var received = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        var response = DnsMessage.Parse(buffer.AsSpan(0, received));
        Assert.True(response.ResponseCode == DnsResponseCode.NoError, $"{name}: {response.ResponseCode}");
        var answers = response.Answers.Where(r => r.Type == DnsRecordType.A).ToList();
        return ([.. answers.Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal)], [.. answers.Select(r => r.Ttl)]);
    }

    private void Start(int index) => _targets[index] ??= new StubTarget(fixture.Sandbox, DnsFailoverFixture.Targets[index], DnsFailoverFixture.TargetPort);

    private void Stop(int index)
    {
        _targets[index]?.Dispose();
        _targets[index] = null;
    }
}
