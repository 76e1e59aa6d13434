using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Cli.Commands;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Cli.Tests.Commands;

public sealed class SandboxLookupTests : IDisposable
{
    private readonly StatePaths _state = new(Path.Combine(Path.GetTempPath(), "cloister-lookup-" + Guid.NewGuid().ToString("N")));

    public SandboxLookupTests()
    {
        HostPlan Host(HostKind kind, string logicalId, string? name, string address, string? id = null, string? owner = null) =>
            new(kind, id ?? "i-" + logicalId.ToLowerInvariant(), logicalId, name, owner, "cl1-" + address, "cl1-r", "eth1", address, 24, "10.0.1.1", null, null, null, [], "ip", "10.0.0.2");
        var description = new SandboxDescription(1, "cl1-", false, 1, "eu-central-1", null, "cl1-s", "cl1-region",
            [
                Host(HostKind.Instance, "ApiVpcInstance", "api-vpc-instance", "10.0.1.253"),
                Host(HostKind.EndpointInterface, "ApiEndpoint", null, "10.0.1.10", "eni-1"),
                Host(HostKind.EndpointInterface, "ApiEndpoint", null, "10.0.2.10", "eni-2"),
                Host(HostKind.FunctionInterface, "lambda", null, "10.0.1.20", "eni-3", "createClaim,getClaim"),
                Host(HostKind.FunctionInterface, "lambda", null, "10.0.2.20", "eni-4", "createClaim,listClaims"),
                Host(HostKind.OnPremisesHost, "Laptop", null, "172.31.6.137"),
                Host(HostKind.PublicFunction, "lambda", null, "198.18.0.2", "lambda-public"),
            ],
            [], "/nonexistent");
        var model = new CloudModel { Functions = [new LambdaFunction("Hello", "hello", "python3.12", "index.handler", null, "x", 128, 3, ImmutableDictionary<string, string>.Empty, null, null)] };
        Directory.CreateDirectory(_state.Runtime);
        File.WriteAllText(Path.Combine(_state.Runtime, "sandbox.json"), JsonSerializer.Serialize(description, RuntimeState.Json));
        File.WriteAllText(Path.Combine(_state.Runtime, "model.json"), JsonSerializer.Serialize(model, RuntimeState.Json));
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
    public void TryFindHost_FunctionName_FindsAnEniOfTheFunction()
    {
        Assert.True(SandboxLookup.TryFindHost(_state, "listClaims", TextWriter.Null, out _, out var host));

        Assert.Equal("eni-4", host.Id);
    }

    [Fact]
    public void TryFindHost_NameOfAFunctionOutsideAVpc_FindsWhereSuchFunctionsRun()
    {
        // Before, "No host": only functions in a VPC were found by name (their ENIs), though Try next offers the name.
        Assert.True(SandboxLookup.TryFindHost(_state, "hello", TextWriter.Null, out _, out var host));

        Assert.Equal(HostKind.PublicFunction, host.Kind);
    }

    [Fact]
    public void TryFindHost_UnknownHost_ListsEveryNameItTakesByKind()
    {
        // Before, only instances and on-premises hosts, though functions (by name), endpoints and every other host are found too.
        var error = new StringWriter();

        Assert.False(SandboxLookup.TryFindHost(_state, "NoSuchHost", error, out _, out _));

        Assert.Equal(
            """
            No host 'NoSuchHost' in the sandbox. Give one of these (or a host's id, address or host name):
              instances: ApiVpcInstance (api-vpc-instance)
              on-premises hosts: Laptop
              VPC endpoints' network interfaces: ApiEndpoint
              functions' VPC network interfaces, by function: createClaim, getClaim, listClaims
              functions outside a VPC: hello
            """,
            error.ToString().ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void TryFindHost_EveryNameListed_FindsAHost()
    {
        var error = new StringWriter();
        SandboxLookup.TryFindHost(_state, "NoSuchHost", error, out _, out _);
        var names = error.ToString().ReplaceLineEndings("\n").Split('\n').Skip(1).Where(l => l.Length > 0)
            .SelectMany(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", "))
            .Select(n => n.Split(' ')[0]);

        Assert.All(names, n => Assert.True(SandboxLookup.TryFindHost(_state, n, TextWriter.Null, out _, out _), n));
    }

    public void Dispose() => Directory.Delete(_state.Root, recursive: true);
}
