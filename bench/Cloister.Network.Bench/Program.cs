using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloister.Model;
using Cloister.Network;
using Cloister.Network.Bench;

// dotnet run -c Release --project bench/Cloister.Network.Bench [-- hold | -- --accept batch]
// Bring-up time of the seeds' network, and TCP connect latency across a peering link against one veth hop.
var state = StatePaths.FromEnvironment();
if (args is ["hold", ..])
{
    // Keeps the seeds' network up for 'cloister exec' and 'cloister path' until Enter.
    await using var held = await Sandbox.StartAsync(SeedNetwork.Build(), SandboxOptions.ForState(state) with { CaBundlePath = null });
    Console.WriteLine($"sandbox {held.Prefix} up; state in {state.Runtime}; Enter to stop");
    Console.ReadLine();
    return 0;
}

var prefix = string.Create(CultureInfo.InvariantCulture, $"clb-{Environment.ProcessId}-");
var runtime = Path.Combine(Path.GetTempPath(), "cloister-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
var model = SeedNetwork.Build();
var upTimes = new List<double>();
var downTimes = new List<double>();
const int Rounds = 7;
for (var i = 0; i < Rounds; i++)
{
    var watch = Stopwatch.StartNew();
    var sandbox = await Sandbox.StartAsync(model, new SandboxOptions(prefix, runtime));
    upTimes.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    await sandbox.DisposeAsync();
    downTimes.Add(watch.Elapsed.TotalMilliseconds);
}

Console.WriteLine($"bring-up (seeds' network, {Rounds} rounds, first is cold): {Format(upTimes)}");
Console.WriteLine($"teardown: {Format(downTimes)}");

await using (var sandbox = await Sandbox.StartAsync(model, new SandboxOptions(prefix, runtime)))
{
    Console.WriteLine($"namespaces: {(await Sandbox.ListNamespacesAsync(prefix)).Count}, hosts: {sandbox.Hosts.Length}");
    var client = sandbox.FindHost("client")!;
    var api = sandbox.FindHost("api-host")!;
    var publicFunction = sandbox.Hosts.First(h => h.Kind == Cloister.Network.Topology.HostKind.PublicFunction);
    const int Connects = 3000;
    const int MeasureRounds = 30; // short rounds, so that a burst of load on the shared machine hits every path alike

    // Interleave the two so that machine noise hits both alike.
    var peering = new List<double>();
    var veth = new List<double>();
    var local = new List<double>();

    // The same VPC for comparison: the client instance and the outbound resolver ENI share a subnet, both behind
    // security groups, and (as in a VPC) still pass the VPC router: two veth hops and one forward.
    var neighbour = sandbox.Hosts.First(h => h.Kind == Cloister.Network.Topology.HostKind.ResolverEndpoint && h.VpcId == client.VpcId && h.SubnetId == client.SubnetId);
    // --accept batch: the listeners accept every 2 ms instead of as each connection arrives, so that no server wake-up
    // (and no server close sending its FIN back across the path) falls inside a measured connect; the same for all paths.
    var batch = args.Contains("batch");
    Console.WriteLine($"listeners accept {(batch ? "in batches every 2 ms" : "each connection as it arrives")}");
    using var apiListener = Serve(sandbox.OpenTcpListener(IPAddress.Parse(api.Address), 8080, 4096), batch);
    using var regionListener = Serve(sandbox.OpenTcpListener(IPAddress.Parse(Cloister.Network.Topology.RegionServices.AddressOf("dynamodb")!), 8080, 4096), batch);
    using var neighbourListener = Serve(sandbox.OpenTcpListener(IPAddress.Parse(neighbour.Address), 53, 4096), batch);
    // Warm-up, discarded: neighbour entries, the listeners' accept loops and the JIT, alike for the three paths.
    _ = Measure(sandbox, client.Address, api.Address, 8080, Connects / MeasureRounds).ToList();
    _ = Measure(sandbox, publicFunction.Address, Cloister.Network.Topology.RegionServices.AddressOf("dynamodb")!, 8080, Connects / MeasureRounds).ToList();
    _ = Measure(sandbox, client.Address, neighbour.Address, 53, Connects / MeasureRounds).ToList();
    for (var round = 0; round < MeasureRounds; round++)
    {
        peering.AddRange(Measure(sandbox, client.Address, api.Address, 8080, Connects / MeasureRounds));
        veth.AddRange(Measure(sandbox, publicFunction.Address, Cloister.Network.Topology.RegionServices.AddressOf("dynamodb")!, 8080, Connects / MeasureRounds));
        local.AddRange(Measure(sandbox, client.Address, neighbour.Address, 53, Connects / MeasureRounds));
    }

    Console.WriteLine($"TCP connect across peering (client-vpc host -> shared router of the peered VPCs -> api-vpc host): {Format(peering, "µs")}");
    Console.WriteLine($"TCP connect over one veth hop (public function namespace -> region):                          {Format(veth, "µs")}");
    Console.WriteLine($"TCP connect inside one VPC (client-vpc host -> router -> client-vpc resolver ENI):             {Format(local, "µs")}");
    Console.WriteLine($"ratio of medians: {Median(peering) / Median(veth):F2}x one veth hop, {Median(peering) / Median(local):F2}x inside one VPC");
}

if (Directory.Exists(runtime))
{
    Directory.Delete(runtime, recursive: true);
}

return 0;

static IEnumerable<double> Measure(Sandbox sandbox, string from, string to, int port, int count)
{
    var target = new IPEndPoint(IPAddress.Parse(to), port);
    var results = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        using var socket = sandbox.OpenTcpClient(IPAddress.Parse(from));
        var start = Stopwatch.GetTimestamp();
        socket.Connect(target);
        results.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    return results;
}

static Socket Serve(Socket listener, bool batch)
{
    if (batch)
    {
        listener.Blocking = false;
        new Thread(() =>
        {
            try
            {
                while (true)
                {
                    try
                    {
                        listener.Accept().Dispose();
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                    {
                        Thread.Sleep(2);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        })
        { IsBackground = true }.Start();
        return listener;
    }

    _ = Task.Run(async () =>
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    });
    return listener;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static string Format(List<double> values, string unit = "ms")
{
    var sorted = values.Order().ToList();
    double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
    return string.Create(CultureInfo.InvariantCulture, $"median {At(0.5):F1} {unit}, min {sorted[0]:F1}, p90 {At(0.9):F1}, max {sorted[^1]:F1} (n={sorted.Count})");
}
