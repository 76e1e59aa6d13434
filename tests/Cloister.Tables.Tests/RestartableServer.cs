using System.Net;
using Amazon.DynamoDBv2;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests;

/// <summary>
/// A real service on a free loopback port with a data folder of its own, spoken to through the AWS SDK for .NET, and
/// stopped and started again on the same folder (the journal read back), for tests of what a restart keeps.
/// </summary>
internal sealed class RestartableServer(string prefix, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
    private TablesServer? _server;
    private AmazonDynamoDBClient? _client;

    public AmazonDynamoDBClient Client => _client!;

    /// <summary>The running server's store, to hold a restore part-way (<see cref="Cloister.Tables.Storage.TableStore.RestoreCommitted"/>).</summary>
    public Cloister.Tables.Storage.TableStore Store => _server!.Store;

    /// <summary>The data folder, to look at the journal's database itself.</summary>
    public string DataDirectory => _directory;

    public async Task StartAsync()
    {
        _server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = _directory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            TimeProvider = time ?? TimeProvider.System,
        });
        _client = TablesServerFixture.CreateClient(_server.Urls[0]);
    }

    public async Task StopAsync()
    {
        _client?.Dispose();
        _client = null;
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>Polls DescribeTable until the table is ACTIVE (a restored table is CREATING until its items are in), as the SDKs' waiters do.</summary>
    public async Task WaitActiveAsync(string table)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Client.DescribeTableAsync(table)).Table.TableStatus != Amazon.DynamoDBv2.TableStatus.ACTIVE)
        {
            Assert.True(DateTime.UtcNow < deadline, table + " never became ACTIVE");
            await Task.Delay(10);
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
