using System.Diagnostics;
using System.Globalization;
using Cloister.Host.Fabric;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network;
using Cloister.Network.Runtime;

namespace Cloister.Host.Tests.Fabric;

/// <summary>
/// The vpc-link-nlb sample's exercise on real instances: two web servers left running by user data, one stopped with
/// <c>pkill</c> from its own instance (<c>cloister exec --from</c>'s command line), the other still answering, as on two
/// EC2 machines; and nothing of either left once the instances are stopped and the sandbox is down.
/// </summary>
public sealed class InstanceProcessesTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly StatePaths _state = new(Directory.CreateTempSubdirectory("cloister-instance-processes-").FullName);
    private readonly int _port = Random.Shared.Next(18_000, 18_999);
    private readonly string _prefix = string.Create(CultureInfo.InvariantCulture, $"clh-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}-");
    private Sandbox? _sandbox;
    private InstanceBoot? _boot;

    private string Server(int offset) => string.Create(CultureInfo.InvariantCulture, $"http.server {_port + offset}");

    public async Task InitializeAsync()
    {
        var web = new SecurityGroup("sg-web", "Web", "vpc-1", "web", "web", [new SecurityGroupRule("tcp", 18_000, 19_000, "10.79.0.0/16")], [SecurityGroupRule.AllowAllEgress]);
        var model = new CloudModel
        {
            Vpcs = [new Vpc("vpc-1", "Vpc", "10.79.0.0/16")],
            Subnets = [new Subnet("subnet-1", "Private1", "vpc-1", "10.79.1.0/24", "eu-central-1a")],
            SecurityGroups = [web],
            Instances =
            [
                new Instance("i-0000000000000aaa1", "Instance1", "subnet-1", "10.79.1.11", ["sg-web"], UserData: UserData(0)),
                new Instance("i-0000000000000aaa2", "Instance2", "subnet-1", "10.79.1.12", ["sg-web"], UserData: UserData(1)),
                new Instance("i-0000000000000ccc1", "ClientInstance", "subnet-1", "10.79.1.20", ["sg-web"]),
            ],
        };
        _sandbox = await Sandbox.StartAsync(model, new SandboxOptions(_prefix, Path.Combine(_state.Root, "runtime")));
        _boot = InstanceBoot.Start(_sandbox, model.Instances, _state);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        await Sandbox.CleanupAsync(_prefix);
        Directory.Delete(_state.Root, recursive: true);
    }

    [Fact(Timeout = 120_000)]
    public async Task Exec_PkillWebServerOnOneInstance_OnlyItStopsAndTheOtherStillAnswers()
    {
        await UntilAsync(async () => await GetAsync("10.79.1.11", 0) == 200 && await GetAsync("10.79.1.12", 1) == 200, "both web servers answer");

        // Each instance sees the server its own user data left running, not the other's.
        Assert.Equal(Server(0), (await ExecAsync("Instance1", "pgrep", "-af", "http.server")).Output.Split(" -m ")[^1].Trim());
        Assert.Equal(Server(1), (await ExecAsync("Instance2", "pgrep", "-af", "http.server")).Output.Split(" -m ")[^1].Trim());
        Assert.Equal(1, (await ExecAsync("ClientInstance", "pgrep", "-f", "http.server")).Exit);

        var (exit, _) = await ExecAsync("Instance1", "pkill", "-f", "http.server");

        Assert.Equal(0, exit);
        await UntilAsync(async () => await GetAsync("10.79.1.11", 0) == 0, "Instance1's server stopped");
        Assert.Equal(200, await GetAsync("10.79.1.12", 1));
        await UntilAsync(() => Task.FromResult(_boot!.Instances.Single(i => i.LogicalId == "Instance1").ExitCode is not null), "Instance1's user data ended");
        Assert.True(_boot!.Instances.Single(i => i.LogicalId == "Instance2").Running);
        Assert.Equal(1, Running(Server(0)) + Running(Server(1)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Dispose_ServersAndProcessesThatLeftTheirGroup_NothingLeft()
    {
        await UntilAsync(async () => await GetAsync("10.79.1.12", 1) == 200, "Instance2's web server answers");

        // A daemon of the instance's own: a new session, so stopping the user data's process group misses it.
        var (exit, _) = await ExecAsync("Instance2", "/bin/sh", "-c", $"(setsid python3 -m {Server(2)} </dev/null >/dev/null 2>&1 &); exit 0");
        Assert.Equal(0, exit);
        await UntilAsync(() => Task.FromResult(Running(Server(2)) == 1), "the daemon runs");

        await StopAsync();

        await UntilAsync(() => Task.FromResult(Running(Server(0)) + Running(Server(1)) + Running(Server(2)) == 0), "every server ended");
        Assert.Empty(await Sandbox.ListNamespacesAsync(_prefix));
    }

    private string UserData(int offset) => $"""
        #!/bin/sh
        www=/tmp/instance-processes-$(uname -n)
        mkdir -p "$www" && cd "$www" && echo "Hello from $(uname -n)" > index.html
        exec python3 -m {Server(offset)}
        """;

    private async Task StopAsync()
    {
        if (_boot is not null)
        {
            await _boot.DisposeAsync();
            _boot = null;
        }

        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
            _sandbox = null;
        }
    }

    /// <summary>Runs a command on a host as <c>cloister exec --from</c> does.</summary>
    private async Task<(int Exit, string Output)> ExecAsync(string host, params string[] command)
    {
        var description = _sandbox!.Description;
        var start = HostCommand.StartInfo(description, description.FindHost(host)!, command);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + await error);
    }

    /// <summary>The status of a GET from the client instance, 0 when the connection is refused.</summary>
    private async Task<int> GetAsync(string address, int offset)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://{address}:{_port + offset}/");
        var (_, output) = await ExecAsync("ClientInstance", "python3", "-c",
            "import sys, urllib.request\ntry:\n    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)\nexcept OSError:\n    print(0)", url);
        return int.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;
    }

    /// <summary>How many of the machine's processes run <c>python3 -m <paramref name="server"/></c>.</summary>
    private static int Running(string server) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Count(d => CommandLine(d).EndsWith("\0-m\0" + server.Replace(' ', '\0') + "\0", StringComparison.Ordinal));

    private static string CommandLine(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, "cmdline"));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Deadline, $"Not within {Deadline.TotalSeconds} s: {what}.");
            await Task.Delay(100);
        }
    }
}
