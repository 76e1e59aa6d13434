using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests;

/// <summary>A real service on 127.0.0.1, a free port and a fresh data folder, shared by a test class.</summary>
public sealed class TablesServerFixture : IAsyncLifetime
{
    private TablesServer? _server;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cloister-tables-" + Guid.NewGuid().ToString("N"));

    public Uri Url => _server!.Urls[0];

    public async Task InitializeAsync()
    {
        _server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = DataDirectory,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            TimeToLiveSweepInterval = TimeSpan.FromMilliseconds(200),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    public AmazonDynamoDBClient CreateClient() => CreateClient(Url);

    public static AmazonDynamoDBClient CreateClient(Uri url) =>
        new(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonDynamoDBConfig
        {
            ServiceURL = url.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    public static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];
}
