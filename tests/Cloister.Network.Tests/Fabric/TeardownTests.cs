using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests.Fabric;

public sealed class TeardownTests
{
    /// <summary>Far more than a stop takes on a loaded machine, far less than a hung run's silence.</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromMinutes(1);

    private static CloudModel Small() => new()
    {
        Vpcs = [new Vpc("vpc-1", "Vpc", "10.77.0.0/16")],
        Subnets = [new Subnet("subnet-1", "S", "vpc-1", "10.77.1.0/24", "us-east-1a")],
        Instances = [new Instance("i-1", "Host", "subnet-1", null, [])],
    };

    [Fact]
    public async Task DisposeAsync_AfterStart_LeavesNoNamespaceOrRuntimeFile()
    {
        // Stopped right after its start, more than once: a stop that came before the instance's init was armed to die
        // with its unshare once hung for ever (the init lived on, holding the output the stop waited to end).
        for (var i = 0; i < 3; i++)
        {
            var prefix = SandboxFixture.NewPrefix();
            var runtime = Path.Combine(Path.GetTempPath(), "cloister-teardown-" + Guid.NewGuid().ToString("N")[..8]);
            var options = new SandboxOptions(prefix, runtime);
            var sandbox = await Sandbox.StartAsync(Small(), options);
            try
            {
                Assert.NotEmpty(await Sandbox.ListNamespacesAsync(prefix));
                Assert.True(File.Exists(options.DescriptionPath));

                await sandbox.DisposeAsync().AsTask().WaitAsync(StopBound);

                Assert.Empty(await Sandbox.ListNamespacesAsync(prefix));
                Assert.False(File.Exists(options.DescriptionPath));
            }
            finally
            {
                await Sandbox.CleanupAsync(prefix);
                Directory.Delete(runtime, recursive: true);
            }
        }
    }

    [Fact]
    public async Task StartAsync_LeftoversOfACrashedRun_RemovesThemAndTheirProcesses()
    {
        var prefix = SandboxFixture.NewPrefix();
        var runtime = Path.Combine(Path.GetTempPath(), "cloister-teardown-" + Guid.NewGuid().ToString("N")[..8]);
        var first = await Sandbox.StartAsync(Small(), new SandboxOptions(prefix, runtime));
        var host = first.Hosts[0];
        using var orphan = first.StartOn(host, new System.Diagnostics.ProcessStartInfo("sleep", ["300"]));
        await WaitUntilInNamespaceAsync(orphan.Id, host.Namespace);

        // A crash: the sandbox object is abandoned without DisposeAsync; the next start cleans up.
        var second = await Sandbox.StartAsync(Small(), new SandboxOptions(prefix, runtime));
        try
        {
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.Equal(second.Hosts.Length, first.Hosts.Length);
        }
        finally
        {
            await second.DisposeAsync().AsTask().WaitAsync(StopBound);
            Directory.Delete(runtime, recursive: true);
        }

        Assert.Empty(await Sandbox.ListNamespacesAsync(prefix));
    }

    private static async Task WaitUntilInNamespaceAsync(int pid, string ns)
    {
        var expected = new FileInfo("/run/netns/" + ns);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var start = new System.Diagnostics.ProcessStartInfo("ip", ["netns", "pids", ns]) { RedirectStandardOutput = true };
            using var ip = System.Diagnostics.Process.Start(start)!;
            var pids = await ip.StandardOutput.ReadToEndAsync();
            await ip.WaitForExitAsync();
            if (pids.Split('\n').Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"Process {pid} never entered {expected.Name}.");
    }
}
