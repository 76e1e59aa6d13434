using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cloister.Functions.Launching;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>The seam the network fabric uses: every process and Runtime API socket goes through the launcher.</summary>
public sealed class ProcessLauncherTests
{
    private sealed class RecordingLauncher : IProcessLauncher
    {
        public ConcurrentQueue<ProcessPlacement> Sockets { get; } = new();

        public ConcurrentQueue<ProcessLaunchSpec> Started { get; } = new();

        public ValueTask<RuntimeApiSocket> OpenRuntimeApiSocketAsync(ProcessPlacement placement, CancellationToken cancellationToken)
        {
            Sockets.Enqueue(placement);
            return HostProcessLauncher.Instance.OpenRuntimeApiSocketAsync(placement, cancellationToken);
        }

        public ValueTask<ILaunchedProcess> StartAsync(ProcessLaunchSpec spec, CancellationToken cancellationToken)
        {
            Started.Enqueue(spec);
            return HostProcessLauncher.Instance.StartAsync(spec, cancellationToken);
        }
    }

    [Fact]
    public async Task InvokeAsync_FunctionInVpc_LauncherGetsPlacementAndCompleteEnvironment()
    {
        var root = Path.Combine(Path.GetTempPath(), "cloister-functions-launcher-" + Guid.NewGuid().ToString("N")[..8]);
        var launcher = new RecordingLauncher();
        var vpc = new VpcConfig(["subnet-0123456789abcdef0"], ["sg-0123456789abcdef0"]);
        try
        {
            await using (var service = new LambdaService(new FunctionsOptions { State = new StatePaths(root) }, launcher))
            {
                var deployed = await service.DeployAsync(new LambdaFunction(
                    "InVpc", "in-vpc", "nodejs20.x", "index.handler", null, "exports.handler = async () => 'ok';",
                    128, 10, ImmutableDictionary<string, string>.Empty, vpc, null));
                Assert.True(deployed.Succeeded);

                var result = await service.InvokeAsync("in-vpc", "{}"u8.ToArray());

                Assert.True(result.Succeeded);
            }

            var placement = Assert.Single(launcher.Sockets);
            Assert.Equal("in-vpc", placement.FunctionName);
            Assert.Equal(vpc, placement.Vpc);
            var spec = Assert.Single(launcher.Started);
            Assert.Equal(placement, spec.Placement);
            Assert.Equal("in-vpc", spec.Environment["AWS_LAMBDA_FUNCTION_NAME"]);
            Assert.StartsWith("127.0.0.1:", spec.Environment["AWS_LAMBDA_RUNTIME_API"], StringComparison.Ordinal);
            Assert.False(spec.Environment.ContainsKey("HOME"), "the environment is Lambda's, not inherited from Cloister");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
