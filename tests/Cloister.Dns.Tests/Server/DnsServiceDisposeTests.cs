using System.Net;
using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model;
using Cloister.Tests.Shared;

namespace Cloister.Dns.Tests.Server;

/// <summary>Stopping the service closes every query log it opened, and opens none after.</summary>
public sealed class DnsServiceDisposeTests : IDisposable
{
    private const int Queries = 20_000;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-dns-dispose-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// A model change that drops a query log configuration retires its log: the log was closed in the background and
    /// nobody waited for it, so the service's dispose returned with that file still open (and its last lines not all
    /// written yet).
    /// </summary>
    [Fact]
    public async Task DisposeAsync_QueryLogRetiredByAModelChange_ClosesItsFileBeforeReturning()
    {
        var state = new StatePaths(_root);
        var service = new DnsService(new DnsServiceOptions { State = state });
        service.Apply(TestModels.ApiOnly());
        var log = await OpenedLogAsync(state);
        // Lines for the log to write out as it closes: its last flush takes a while.
        var query = new byte[512];
        Assert.True(DnsMessage.CreateQuery(7, "www.corp.internal", DnsRecordType.A).TryWrite(query, out var length));
        var response = new byte[65535];
        for (var i = 0; i < Queries; i++)
        {
            await service.ProcessAsync(query.AsMemory(0, length), response, TestModels.ApiVpc);
        }

        service.Apply(TestModels.ApiOnly() with { QueryLogConfigs = [] });

        await service.DisposeAsync();

        Assert.DoesNotContain(log, OpenFiles.OfThisProcess());
        Assert.Equal(Queries, QueryLogs.Read(_root).Count);
    }

    /// <summary>
    /// The host changes a load balancer's names (DNS failover) on its own schedule, which may come after the stop. The
    /// rebuilt views asked for their query logs again, and with the stopped service's logs gone it opened new ones that
    /// nothing would ever close.
    /// </summary>
    [Fact]
    public async Task SetAdditionalNames_AfterDisposeAsync_OpensNoQueryLog()
    {
        var state = new StatePaths(_root);
        var service = new DnsService(new DnsServiceOptions { State = state });
        service.Apply(TestModels.ApiOnly());
        var log = await OpenedLogAsync(state);
        await service.DisposeAsync();
        Assert.DoesNotContain(log, OpenFiles.OfThisProcess());

        service.SetAdditionalNames(new Dictionary<string, IReadOnlyList<IPAddress>> { ["nlb.example"] = [IPAddress.Parse("10.0.1.60")] });

        // A log is opened by its writer in the background: give it the time it took above, many times over.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!OpenFiles.OfThisProcess().Contains(log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.DoesNotContain(log, OpenFiles.OfThisProcess());
    }

    /// <summary>The query log file the applied model's configuration opened, once it is open.</summary>
    private static async Task<string> OpenedLogAsync(StatePaths state) =>
        await Poll.UntilAsync(
            () => OpenFiles.OfThisProcess().FirstOrDefault(f => f.StartsWith(state.DnsLogs, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            "the query log to be opened");

}
