using System.Diagnostics;
using System.Globalization;
using System.Net;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Bench;

/// <summary>
/// The service in a process of its own (this bench started again with <c>--serve DIR</c>), so that the
/// service's CPU time and allocations per request can be read apart from the SDK client's: the child
/// answers each line <c>stats</c> on its standard input with its CPU time (ticks) and the bytes it has
/// allocated, and exits when its standard input closes.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>
    /// Starts the service on <paramref name="dataDirectory"/>, or with <c>null</c> a canned endpoint (no DynamoDB
    /// work) of kind <paramref name="canned"/>: <c>kestrel</c>, <c>handler</c> (Kestrel's transport and a
    /// connection handler) or <c>socket</c> (raw sockets).
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string? dataDirectory, string payload, string canned = "kestrel")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            ArgumentList = { typeof(ServiceProcess).Assembly.Location },

            // As the stack host runs its services: socket continuations on the epoll thread.
            Environment = { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" },
        };
        if (dataDirectory is null)
        {
            start.ArgumentList.Add("--serve-canned");
            start.ArgumentList.Add(payload);
            start.ArgumentList.Add(canned);
        }
        else
        {
            start.ArgumentList.Add("--serve");
            start.ArgumentList.Add(dataDirectory);
        }

        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the service process exited before listening");
        return new ServiceProcess(process, new Uri(line));
    }

    /// <summary>The child's CPU time and allocated bytes so far.</summary>
    public async Task<(TimeSpan Cpu, long Allocated)> StatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        var parts = (await _process.StandardOutput.ReadLineAsync())!.Split(' ');
        return (TimeSpan.FromTicks(long.Parse(parts[0], CultureInfo.InvariantCulture)), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The child's managed heap after a full, compacting collection (which it forces), with its collectors' counts and
    /// total pause so far (taken before that collection) and the last gen-0/gen-1 collection's pause.
    /// </summary>
    public async Task<HeapStats> HeapAsync()
    {
        await _process.StandardInput.WriteLineAsync("heap");
        await _process.StandardInput.FlushAsync();
        var parts = (await _process.StandardOutput.ReadLineAsync())!.Split(' ').Select(part => long.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        return new HeapStats(parts[0], TimeSpan.FromTicks(parts[1]), (int)parts[2], (int)parts[3], (int)parts[4], TimeSpan.FromTicks(parts[5]));
    }

    /// <summary>The child's side: serve until standard input closes.</summary>
    public static async Task ServeAsync(string dataDirectory)
    {
        await using var server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = dataDirectory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        });
        await AnswerAsync(server.Urls[0]);
    }

    /// <summary>The child's side for the canned endpoint.</summary>
    public static async Task ServeCannedAsync(string payload, string kind)
    {
        switch (kind)
        {
            case "socket":
                await using (var sockets = CannedSocketServer.Start(payload))
                {
                    await AnswerAsync(sockets.Url);
                }

                break;
            case "handler":
                var (application, url) = await CannedConnectionHandler.StartAsync(payload);
                await using (application)
                {
                    await AnswerAsync(url);
                    await application.StopAsync();
                }

                break;
            default:
                await using (var canned = await CannedEndpoint.StartAsync(payload))
                {
                    await AnswerAsync(canned.Url);
                }

                break;
        }
    }

    private static async Task AnswerAsync(Uri url)
    {
        Console.WriteLine(url);
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{self.TotalProcessorTime.Ticks} {GC.GetTotalAllocatedBytes(precise: true)}"));
            }
            else if (command == "heap")
            {
                var pause = GC.GetTotalPauseDuration();
                var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                var ephemeral = GC.GetGCMemoryInfo(GCKind.Ephemeral).PauseDurations[0];
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var heap = GC.GetTotalMemory(forceFullCollection: false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{heap} {pause.Ticks} {gen0} {gen1} {gen2} {ephemeral.Ticks}"));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>What <see cref="ServiceProcess.HeapAsync"/> reads from the child.</summary>
public sealed record HeapStats(long HeapBytes, TimeSpan Pause, int Gen0, int Gen1, int Gen2, TimeSpan LastEphemeralPause);
