using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network.Realization;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Fabric;

public sealed class LiveChangeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task ApplyAsync_SecurityGroupRuleAddedThenRemoved_TakesEffectOnLiveTraffic()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var b1 = sandbox.FindHost("b1")!;
        var a1 = sandbox.FindHost("a1")!;
        await using var probe = TrafficProbe.Listen(sandbox, [a1], [7100], null);
        Assert.False(await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 7100, Timeout));

        await sandbox.ApplyAsync(WithWebIngress(original, new SecurityGroupRule("tcp", 7100, 7100, "10.20.0.0/16")));
        Assert.True(await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 7100, Timeout));

        await sandbox.ApplyAsync(original);
        Assert.False(await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 7100, Timeout));
    }

    [Fact]
    public async Task ApplyAsync_IcmpRuleWithTypeAndCode_AdmitsOnlyThatTypeAndCode()
    {
        // A security group rule for ICMP names the type in FromPort and the code in ToPort (-1: all): a rule for
        // timestamp requests (13) admits no ping (echo request, 8), one for echo requests does, and so does -1/-1.
        var original = fixture.Sandbox.Model;
        async Task<bool> PingWithRuleAsync(int type, int code)
        {
            await fixture.Sandbox.ApplyAsync(WithWebIngress(original, new SecurityGroupRule("icmp", type, code, "10.10.0.0/16")));
            return await TrafficProbe.TryPingAsync(fixture.Sandbox, fixture.Sandbox.FindHost("a1")!, fixture.Sandbox.FindHost("a2")!.Address, Timeout);
        }

        try
        {
            bool[] answered = [await PingWithRuleAsync(13, -1), await PingWithRuleAsync(8, 5), await PingWithRuleAsync(8, 0), await PingWithRuleAsync(-1, -1)];
            Assert.Equal([false, false, true, true], answered);
        }
        finally
        {
            await fixture.Sandbox.ApplyAsync(original);
        }
    }

    [Fact]
    public async Task ApplyAsync_AclIcmpEntriesWithTypes_PassOnlyThoseTypesAsPathAnalysisSays()
    {
        // A2's ACL (stateless) sees the echo request come in and the echo reply (type 0) go out: an entry for echo
        // requests in lets a ping through, one for timestamp requests (13) does not, and an outbound entry for echo
        // requests only stops the reply. sg-web admits all ICMP from A, so the ACL alone decides.
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var icmpFromA = WithWebIngress(original, new SecurityGroupRule("icmp", -1, -1, "10.10.0.0/16"));
        NetworkAclEntry Icmp(bool egress, int type) => new(10, "1", true, egress, "0.0.0.0/0", IcmpType: type, IcmpCode: -1);
        NetworkAclEntry All(bool egress) => new(100, "-1", true, egress, "0.0.0.0/0");
        NetworkAclEntry[][] cases = [[Icmp(false, 8), All(true)], [Icmp(false, 13), All(true)], [Icmp(false, 8), Icmp(true, 8)], [Icmp(false, 8), Icmp(true, 0)]];
        var pinged = new List<bool>();
        var analyzed = new List<bool>();
        foreach (var entries in cases)
        {
            var model = icmpFromA with { NetworkAcls = [.. icmpFromA.NetworkAcls.Select(a => a.Id == "acl-a2" ? a with { Entries = [.. entries] } : a)] };
            await LiveChanges.WhileAppliedAsync(fixture.Sandbox, model, async () =>
            {
                pinged.Add(await TrafficProbe.TryPingAsync(sandbox, sandbox.FindHost("a1")!, sandbox.FindHost("a2")!.Address, Timeout));
                analyzed.Add(new Cloister.Network.Reachability.PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(sandbox.FindHost("a1")!, sandbox.FindHost("a2")!.Address, -1, "icmp").NetworkPathFound);
            });
        }

        Assert.Equal([true, false, false, true], pinged);
        Assert.Equal(pinged, analyzed);
    }

    [Fact]
    public async Task ApplyAsync_NetworkAclDenyAdded_BlocksNewConnections()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var a1 = sandbox.FindHost("a1")!;
        var a2 = sandbox.FindHost("a2")!;
        await using var probe = TrafficProbe.Listen(sandbox, [a2], [8080], null);
        Assert.True(await TrafficProbe.TryTcpAsync(sandbox, a1, a2.Address, 8080, Timeout));

        var denied = original with
        {
            NetworkAcls = [.. original.NetworkAcls.Select(a => a with { Entries = a.Entries.Add(new NetworkAclEntry(80, "6", false, false, "10.10.1.0/24", 8080, 8080)) })],
        };
        await sandbox.ApplyAsync(denied);
        try
        {
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, a1, a2.Address, 8080, Timeout));
        }
        finally
        {
            await sandbox.ApplyAsync(original);
        }
    }

    [Fact]
    public async Task ApplyAsync_SecurityGroupRuleRemovedUnderAConnection_TheConnectionFlowsOnAndNewOnesFail()
    {
        // AWS: changing a security group rule does not interrupt the connections it tracks.
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (a1, b1) = (sandbox.FindHost("a1")!, sandbox.FindHost("b1")!);
        await sandbox.ApplyAsync(WithWebIngress(original, new SecurityGroupRule("tcp", 7101, 7101, "10.20.0.0/16")));
        try
        {
            using var listener = sandbox.OpenTcpListener(System.Net.IPAddress.Parse(a1.Address), 7101);
            var (client, server) = await LiveChanges.ConnectAsync(sandbox, b1, listener);
            using (client)
            using (server)
            {
                await sandbox.ApplyAsync(original);

                Assert.True(await LiveChanges.DeliversAsync(client, server), "the tracked connection was cut");
                Assert.True(await LiveChanges.DeliversAsync(server, client), "the tracked connection's answers were cut");
                Assert.False(await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 7101, Timeout));
            }
        }
        finally
        {
            await sandbox.ApplyAsync(original);
        }
    }

    [Fact]
    public async Task ApplyAsync_NetworkAclDenyAddedUnderAConnection_CutsIt()
    {
        // AWS: network ACLs are stateless, and one that blocks traffic in either direction breaks existing connections.
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (a1, a2) = (sandbox.FindHost("a1")!, sandbox.FindHost("a2")!);
        using var listener = sandbox.OpenTcpListener(System.Net.IPAddress.Parse(a2.Address), 8081);
        var (client, server) = await LiveChanges.ConnectAsync(sandbox, a1, listener);
        using (client)
        using (server)
        {
            Assert.True(await LiveChanges.DeliversAsync(client, server));
            var denied = original with
            {
                NetworkAcls = [.. original.NetworkAcls.Select(a => a with { Entries = a.Entries.Add(new NetworkAclEntry(80, "6", false, false, "10.10.1.0/24", 8081, 8081)) })],
            };
            await sandbox.ApplyAsync(denied);
            try
            {
                Assert.False(await LiveChanges.DeliversAsync(client, server), "the connection outlived the ACL's deny");
            }
            finally
            {
                await sandbox.ApplyAsync(original);
            }
        }
    }

    [Fact]
    public async Task ApplyAsync_RouteAddedToExistingTable_OpensTheBlackholedPathAsPathAnalysisSays()
    {
        // A2's table loses its peering route to B (traffic to B meets the table's unreachable default), then gets it
        // back: the connection fails, then works, and the path analyzer follows the live tables each time.
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (a2, b1) = (sandbox.FindHost("a2")!, sandbox.FindHost("b1")!);
        await using var probe = TrafficProbe.Listen(sandbox, [b1], [8081], null);
        var withoutRoute = WithRoutes(original, "rtb-a2");
        bool Analyzed() => new Cloister.Network.Reachability.PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(sandbox.FindHost("a2")!, b1.Address, 8081, "tcp").NetworkPathFound;
        try
        {
            await sandbox.ApplyAsync(withoutRoute);
            var before = (await TrafficProbe.TryTcpAsync(sandbox, a2, b1.Address, 8081, Timeout), Analyzed());

            await sandbox.ApplyAsync(original);
            var after = (await TrafficProbe.TryTcpAsync(sandbox, a2, b1.Address, 8081, Timeout), Analyzed());

            Assert.Equal((false, false), before);
            Assert.Equal((true, true), after);
        }
        finally
        {
            await sandbox.ApplyAsync(original);
        }
    }

    [Fact]
    public async Task ApplyAsync_RouteRetargetedToBlackhole_DropsTrafficAndRestoresTheRoute()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (a2, b1) = (sandbox.FindHost("a2")!, sandbox.FindHost("b1")!);
        var router = a2.RouterNamespace;
        await using var probe = TrafficProbe.Listen(sandbox, [b1], [8081], null);
        var blackholed = WithRoutes(original, "rtb-a2", new Route("10.20.0.0/16", RouteTargetKind.Blackhole, string.Empty));

        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, blackholed, async () =>
        {
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, a2, b1.Address, 8081, Timeout));
            Assert.Contains("blackhole 10.20.0.0/16", await KernelRoutesAsync(router), StringComparison.Ordinal);
        });

        Assert.True(await TrafficProbe.TryTcpAsync(sandbox, a2, b1.Address, 8081, Timeout));
        Assert.DoesNotContain("blackhole 10.20.0.0/16", await KernelRoutesAsync(router), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_GatewayEndpointAssociatedWithAnotherTable_RoutesTheRegionFromThatSubnet()
    {
        // The DynamoDB gateway endpoint gains A2's route table: A2's table gets the prefix list's route to the region,
        // and the path analyzer follows it to the service's address.
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var a2 = sandbox.FindHost("a2")!;
        var dynamodb = RegionServices.AddressOf("dynamodb")!;
        var associated = original with
        {
            VpcEndpoints = [.. original.VpcEndpoints.Select(e => e.Id == "vpce-ddb" ? e with { RouteTableIds = e.RouteTableIds.Add("rtb-a2") } : e)],
        };
        bool Analyzed() => new Cloister.Network.Reachability.PathAnalyzer(sandbox.Model, sandbox.Hosts).Analyze(sandbox.FindHost("a2")!, dynamodb, 443, "tcp").NetworkPathFound;
        var before = (Routes: await KernelRoutesAsync(a2.RouterNamespace), Path: Analyzed());

        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, associated, async () =>
        {
            Assert.True(Analyzed());
            Assert.NotEqual(before.Routes, await KernelRoutesAsync(a2.RouterNamespace));
        });

        Assert.False(before.Path);
        Assert.Equal(before.Routes, await KernelRoutesAsync(a2.RouterNamespace));
    }

    [Fact]
    public async Task ApplyAsync_RouteBatchFails_PutsTheRoutesBackAndChangesNothing()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var router = sandbox.FindHost("a2")!.RouterNamespace;
        var routesBefore = await KernelRoutesAsync(router);
        var real = sandbox.IpBatch;
        // The batch runs for real, then fails as a later line would: what it changed must be put back.
        sandbox.IpBatch = async (ns, lines, force, token) =>
        {
            await real(ns, lines, force, token);
            if (!force)
            {
                throw new FabricException("failed for the test");
            }
        };
        try
        {
            var error = await Assert.ThrowsAsync<FabricException>(() => sandbox.ApplyAsync(WithRoutes(ChangeBothRouters(original), "rtb-a2")));

            Assert.Contains("No route was changed", error.Message, StringComparison.Ordinal);
            Assert.Same(original, sandbox.Model);
            Assert.Equal(routesBefore, await KernelRoutesAsync(router));
            Assert.DoesNotContain("7300", await KernelTableAsync(router), StringComparison.Ordinal);
        }
        finally
        {
            sandbox.IpBatch = real;
        }
    }

    [Fact]
    public async Task ApplyAsync_VpcAdded_IsRefusedAndNothingChanges()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var grown = original with { Vpcs = original.Vpcs.Add(new Vpc("vpc-e", "VpcE", "10.50.0.0/16")) };

        var error = await Assert.ThrowsAsync<FabricException>(() => sandbox.ApplyAsync(grown));

        Assert.Contains("restart the sandbox", error.Message, StringComparison.Ordinal);
        Assert.Same(original, sandbox.Model);
    }

    [Fact]
    public async Task ApplyAsync_Icmpv6SecurityGroupRule_LoadsWithoutChangingIpv4Traffic()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var b1 = sandbox.FindHost("b1")!;
        var a1 = sandbox.FindHost("a1")!;
        await using var probe = TrafficProbe.Listen(sandbox, [a1], [7150], null);
        var withIcmpv6 = WithWebIngress(original, new SecurityGroupRule("icmpv6", -1, -1, "::/0"), new SecurityGroupRule("icmpv6", -1, -1, "10.20.0.0/16"));

        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, withIcmpv6, async () =>
        {
            Assert.Same(withIcmpv6, sandbox.Model);
            Assert.False(await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 7150, Timeout));
        });
    }

    [Fact]
    public async Task ApplyAsync_InstanceSecurityGroupsChanged_HostsAndSandboxFileShowTheEnforcedGroups()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var b1 = sandbox.FindHost("b1")!;
        var a1 = sandbox.FindHost("a1")!;
        await using var probe = TrafficProbe.Listen(sandbox, [a1], [7200], null);
        var changed = original with
        {
            SecurityGroups = original.SecurityGroups.Add(new SecurityGroup("sg-admin", "Admin", "vpc-a", "admin", "admin",
                [new SecurityGroupRule("tcp", 7200, 7200, "10.20.0.0/16")], [SecurityGroupRule.AllowAllEgress])),
            Instances = [.. original.Instances.Select(i => i.Id == "i-a1" ? i with { SecurityGroupIds = ["sg-web", "sg-admin"] } : i)],
        };

        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, changed, async () =>
        {
            Assert.True(await TrafficProbe.TryTcpAsync(sandbox, b1, a1.Address, 7200, Timeout));
            Assert.Equal(["sg-web", "sg-admin"], sandbox.FindHost("a1")!.SecurityGroupIds.ToArray());
            Assert.Equal(["sg-web", "sg-admin"], RuntimeState.ReadDescription(fixture.Runtime)!.Hosts.First(h => h.Id == "i-a1").SecurityGroupIds.ToArray());
        });

        Assert.Equal(["sg-web"], sandbox.FindHost("a1")!.SecurityGroupIds.ToArray());
    }

    [Fact]
    public async Task ApplyAsync_OneTableRefusedByTheCheck_LoadsNoTable()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var (routerA, routerD) = (sandbox.FindHost("a1")!.RouterNamespace, sandbox.FindHost("d1")!.RouterNamespace);
        var real = sandbox.Nft;
        sandbox.Nft = (ns, script, check, token) => check && ns == routerD ? throw new FabricException("refused for the test") : real(ns, script, check, token);
        try
        {
            var error = await Assert.ThrowsAsync<FabricException>(() => sandbox.ApplyAsync(ChangeBothRouters(original)));

            Assert.Contains(routerD, error.Message, StringComparison.Ordinal);
            Assert.Same(original, sandbox.Model);
            Assert.DoesNotContain("7300", await KernelTableAsync(routerA), StringComparison.Ordinal);
        }
        finally
        {
            sandbox.Nft = real;
        }
    }

    [Fact]
    public async Task ApplyAsync_OneTableFailsToLoad_RestoresTheTablesAlreadyChanged()
    {
        var sandbox = fixture.Sandbox;
        var original = sandbox.Model;
        var changed = ChangeBothRouters(original);
        var (routerA, routerD) = (sandbox.FindHost("a1")!.RouterNamespace, sandbox.FindHost("d1")!.RouterNamespace);
        var real = sandbox.Nft;
        sandbox.Nft = (ns, script, check, token) => !check && ns == routerD ? throw new FabricException("failed for the test") : real(ns, script, check, token);
        try
        {
            await Assert.ThrowsAsync<FabricException>(() => sandbox.ApplyAsync(changed));

            Assert.Same(original, sandbox.Model);
            Assert.DoesNotContain("7300", await KernelTableAsync(routerA), StringComparison.Ordinal);
        }
        finally
        {
            sandbox.Nft = real;
        }

        // What the kernels hold is what the next change is compared with: both tables load now, and go back again.
        await LiveChanges.WhileAppliedAsync(fixture.Sandbox, changed, async () =>
        {
            Assert.Contains("7300", await KernelTableAsync(routerA), StringComparison.Ordinal);
            Assert.Contains("acl_", await KernelTableAsync(routerD), StringComparison.Ordinal);
        });

        Assert.DoesNotContain("7300", await KernelTableAsync(routerA), StringComparison.Ordinal);
        Assert.DoesNotContain("acl_", await KernelTableAsync(routerD), StringComparison.Ordinal);
    }

    private static CloudModel WithWebIngress(CloudModel model, params SecurityGroupRule[] rules) => model with
    {
        SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = g.Ingress.AddRange(rules) } : g)],
    };

    /// <summary>A rule for port 7300 in A's router (the web group) and a network ACL for D1 in D's router.</summary>
    private static CloudModel ChangeBothRouters(CloudModel model) => WithWebIngress(model, new SecurityGroupRule("tcp", 7300, 7300, "10.20.0.0/16")) with
    {
        NetworkAcls = model.NetworkAcls.Add(new NetworkAcl("acl-d1", "AclD1", "vpc-d",
            [new NetworkAclEntry(100, "-1", true, false, "0.0.0.0/0"), new NetworkAclEntry(100, "-1", true, true, "0.0.0.0/0")], ["subnet-d1"])),
    };

    /// <summary>The model with route table <paramref name="routeTableId"/> holding exactly <paramref name="routes"/>.</summary>
    private static CloudModel WithRoutes(CloudModel model, string routeTableId, params Route[] routes) => model with
    {
        RouteTables = [.. model.RouteTables.Select(t => t.Id == routeTableId ? t with { Routes = [.. routes] } : t)],
    };

    /// <summary>Every route of every table as the namespace's kernel holds them.</summary>
    private static Task<string> KernelRoutesAsync(string ns) =>
        CommandRunner.RunCheckedAsync("nsenter", ["--net=" + LinuxNamespaces.PathOf(ns), "--", "ip", "route", "show", "table", "all"]);

    /// <summary>The Cloister table as the namespace's kernel holds it.</summary>
    private static Task<string> KernelTableAsync(string ns) =>
        CommandRunner.RunCheckedAsync("nsenter", ["--net=" + LinuxNamespaces.PathOf(ns), "--", "nft", "list", "table", "inet", "cloister"]);

    /// <summary>The model with one more ingress rule in <c>sg-web</c>.</summary>
    private static CloudModel WithWebIngress(CloudModel model, SecurityGroupRule rule) => model with
    {
        SecurityGroups = [.. model.SecurityGroups.Select(g => g.Id == "sg-web" ? g with { Ingress = g.Ingress.Add(rule) } : g)],
    };
}
