using System.CommandLine;
using Cloister.Cli.Commands;
using Cloister.Model;
using Cloister.Network.Topology;

namespace Cloister.Cli.Tests.Commands;

/// <summary>
/// <c>cloister path</c> against a sandbox description whose namespaces do not exist: enough for what it refuses before
/// any analysis (resolving a DNS name there fails as for a name the host cannot resolve).
/// </summary>
public sealed class PathCommandTests : IDisposable
{
    private readonly StatePaths _state = new(Path.Combine(Path.GetTempPath(), "cloister-path-" + Guid.NewGuid().ToString("N")));

    public PathCommandTests() => SandboxFiles.Write(
        _state,
        new CloudModel(),
        SandboxFiles.Host(HostKind.Instance, "ApiVpcInstance", "api-vpc-instance", "10.0.1.253"),
        SandboxFiles.Host(HostKind.FunctionInterface, "lambda", null, "10.0.1.20", "eni-3", "createClaim"),
        SandboxFiles.Host(HostKind.PublicFunction, "lambda", null, "198.19.254.10", "lambda-public", "hello"));

    public void Dispose() => Directory.Delete(_state.Root, recursive: true);

    [Theory]
    [InlineData("api-vpc-instance", "nosuch.invalid")]
    [InlineData("10.0.1.253", "nosuch.invalid:8080")]
    [InlineData("createClaim", "NoSuchHost:53")]
    [InlineData("hello", "nosuch.invalid")]
    public async Task Invoke_TargetNoHostCanResolve_NamesSourceAndTargetAsTyped(string source, string target)
    {
        // Before: "'nosuch.invalid' is no host, address or name api-vpc-instance can resolve." — the source by the host's
        // Name tag or logical id ("lambda" for a function), the target without the port the user gave.
        var (exitCode, error) = await RunAsync("path", "--from", source, "--to", target);

        Assert.Equal(2, exitCode);
        var name = target.Split(':')[0];
        Assert.Equal($"cloister path: --to '{target}': '{name}' is no host, address or name that --from '{source}' can resolve.", error.Trim());
    }

    [Fact]
    public async Task Invoke_UnknownSource_NamesItAsTyped()
    {
        var (exitCode, error) = await RunAsync("path", "--from", "api-vpc-Instance", "--to", "10.0.1.20");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("No host 'api-vpc-Instance' in the sandbox.", error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { PathCommand.Create(() => _state) };
        using var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error });
        return (exitCode, error.ToString());
    }
}
