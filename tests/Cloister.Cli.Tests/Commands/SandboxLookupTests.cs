using Cloister.Cli.Commands;
using Cloister.Model;
using Cloister.Network.Topology;

namespace Cloister.Cli.Tests.Commands;

public sealed class SandboxLookupTests : IDisposable
{
    private readonly StatePaths _state = new(Path.Combine(Path.GetTempPath(), "cloister-lookup-" + Guid.NewGuid().ToString("N")));

    public SandboxLookupTests() => SandboxFiles.Write(
        _state,
        model: null,
        SandboxFiles.Host(HostKind.Instance, "ApiVpcInstance", "api-vpc-instance", "10.0.1.253"),
        SandboxFiles.Host(HostKind.EndpointInterface, "ApiEndpoint", null, "10.0.1.10", "eni-1"),
        SandboxFiles.Host(HostKind.EndpointInterface, "ApiEndpoint", null, "10.0.2.10", "eni-2"),
        SandboxFiles.Host(HostKind.FunctionInterface, "lambda", null, "10.0.1.20", "eni-3", "createClaim,getClaim"),
        SandboxFiles.Host(HostKind.FunctionInterface, "lambda", null, "10.0.2.20", "eni-4", "createClaim,listClaims"),
        SandboxFiles.Host(HostKind.OnPremisesHost, "Laptop", null, "172.31.6.137"),
        SandboxFiles.Host(HostKind.PublicFunction, "lambda", null, "198.19.254.10", "lambda-public", "hello,bye"));

    [Fact]
    public void TryFindHost_ByLogicalIdOrNameTag_FindsTheHost()
    {
        Assert.True(SandboxLookup.TryFindHost(_state, "exec", "ApiVpcInstance", TextWriter.Null, out _, out _, out var byId));
        Assert.True(SandboxLookup.TryFindHost(_state, "exec", "api-vpc-instance", TextWriter.Null, out _, out _, out var byTag));

        Assert.Equal("10.0.1.253", byId.Address);
        Assert.Equal(byId, byTag);
    }

    [Fact]
    public void TryFindHost_FunctionName_FindsAnEniOfTheFunction()
    {
        Assert.True(SandboxLookup.TryFindHost(_state, "exec", "listClaims", TextWriter.Null, out _, out _, out var host));

        Assert.Equal("eni-4", host.Id);
    }

    [Fact]
    public void TryFindHost_NameOfAFunctionOutsideAVpc_FindsWhereSuchFunctionsRun()
    {
        // Before, "No host": only functions in a VPC were found by name (their ENIs), though Try next offers the name.
        // The sandbox's own description names them now (no model.json here): path's probes for Try next find them too.
        Assert.True(SandboxLookup.TryFindHost(_state, "exec", "hello", TextWriter.Null, out _, out _, out var host));
        Assert.True(SandboxLookup.TryFindHost(_state, "exec", "bye", TextWriter.Null, out _, out _, out var other));

        Assert.Equal(HostKind.PublicFunction, host.Kind);
        Assert.Equal(host, other);
    }

    [Fact]
    public void TryFindHost_UnknownHost_ListsEveryNameItTakesByKind()
    {
        // Before, only instances and on-premises hosts, though functions (by name), endpoints and every other host are found too.
        var error = new StringWriter();

        Assert.False(SandboxLookup.TryFindHost(_state, "exec", "NoSuchHost", error, out var exitCode, out _, out _));
        Assert.Equal(CliApplication.BadArgumentsExitCode, exitCode);

        Assert.Equal(
            """
            No host 'NoSuchHost' in the sandbox. Give one of these (or a host's id, address or host name):
              instances: ApiVpcInstance (api-vpc-instance)
              on-premises hosts: Laptop
              VPC endpoints' network interfaces: ApiEndpoint
              functions' VPC network interfaces, by function: createClaim, getClaim, listClaims
              functions outside a VPC: hello, bye
            """,
            error.ToString().ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void TryFindHost_EveryNameListed_FindsAHost()
    {
        var error = new StringWriter();
        SandboxLookup.TryFindHost(_state, "exec", "NoSuchHost", error, out _, out _, out _);
        var names = error.ToString().ReplaceLineEndings("\n").Split('\n').Skip(1).Where(l => l.Length > 0)
            .SelectMany(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", "))
            .Select(n => n.Split(' ')[0]);

        Assert.All(names, n => Assert.True(SandboxLookup.TryFindHost(_state, "exec", n, TextWriter.Null, out _, out _, out _), n));
    }

    [Fact]
    public void TryFindHost_AddressOfHostsInTwoNetworks_ListsThemByIdRatherThanTakeTheFirst()
    {
        // Before, the first host of the description was taken: one explicit address may be given in two unpeered VPCs.
        var sandbox = SandboxFiles.Description(
            SandboxFiles.Host(HostKind.Instance, "Left", null, "10.9.0.5") with { VpcId = "vpc-left" },
            SandboxFiles.Host(HostKind.Instance, "Right", null, "10.9.0.5") with { VpcId = "vpc-right" },
            SandboxFiles.Host(HostKind.EndpointInterface, "Endpoint", null, "10.9.1.10", "eni-1") with { VpcId = "vpc-left" },
            SandboxFiles.Host(HostKind.EndpointInterface, "Endpoint", null, "10.9.2.10", "eni-2") with { VpcId = "vpc-left" });
        var error = new StringWriter();

        Assert.False(SandboxLookup.TryFindHost(sandbox, "10.9.0.5", error, out var host));
        Assert.Null(host);
        Assert.Equal(
            """
            '10.9.0.5' names hosts in more than one network. Give the one you mean by its id:
              i-left (Left, 10.9.0.5 in vpc-left)
              i-right (Right, 10.9.0.5 in vpc-right)
            """,
            error.ToString().ReplaceLineEndings("\n").TrimEnd());
        Assert.True(SandboxLookup.TryFindHost(sandbox, "i-right", TextWriter.Null, out var right));
        Assert.Equal("Right", right.LogicalId);
        Assert.True(SandboxLookup.TryFindHost(sandbox, "Endpoint", TextWriter.Null, out var endpoint));
        Assert.Equal("eni-1", endpoint.Id);
    }

    public void Dispose() => Directory.Delete(_state.Root, recursive: true);
}
