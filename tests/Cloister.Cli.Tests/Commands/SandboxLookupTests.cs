using System.Text.Json;
using Cloister.Cli.Commands;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Tests.Commands;

public sealed class SandboxLookupTests : IDisposable
{
    private readonly StatePaths _state = new(Path.Combine(Path.GetTempPath(), "cloister-lookup-" + Guid.NewGuid().ToString("N")));

    public SandboxLookupTests()
    {
        HostPlan Host(HostKind kind, string logicalId, string? name, string address) =>
            new(kind, "i-" + logicalId.ToLowerInvariant(), logicalId, name, null, "cl1-" + logicalId, "cl1-r", "eth1", address, 24, "10.0.1.1", null, null, null, [], "ip", "10.0.0.2");
        var description = new SandboxDescription(1, "cl1-", false, 1, "eu-central-1", null, "cl1-s", "cl1-region",
            [Host(HostKind.Instance, "ApiVpcInstance", "api-vpc-instance", "10.0.1.253"), Host(HostKind.OnPremisesHost, "Laptop", null, "172.31.6.137")],
            [], "/nonexistent");
        Directory.CreateDirectory(_state.Runtime);
        File.WriteAllText(Path.Combine(_state.Runtime, "sandbox.json"), JsonSerializer.Serialize(description, RuntimeState.Json));
    }

    [Fact]
    public void TryFindHost_ByLogicalIdOrNameTag_FindsTheHost()
    {
        Assert.True(SandboxLookup.TryFindHost(_state, "ApiVpcInstance", TextWriter.Null, out _, out var byId));
        Assert.True(SandboxLookup.TryFindHost(_state, "api-vpc-instance", TextWriter.Null, out _, out var byTag));

        Assert.Equal("10.0.1.253", byId.Address);
        Assert.Equal(byId, byTag);
    }

    [Fact]
    public void TryFindHost_UnknownHost_ListsHostsByLogicalIdWithTheirNameTags()
    {
        var error = new StringWriter();

        Assert.False(SandboxLookup.TryFindHost(_state, "NoSuchHost", error, out _, out _));

        Assert.Equal("No host 'NoSuchHost' in the sandbox. Hosts: ApiVpcInstance (api-vpc-instance), Laptop", error.ToString().Trim());
    }

    public void Dispose() => Directory.Delete(_state.Root, recursive: true);
}
