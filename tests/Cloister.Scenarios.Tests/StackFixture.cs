using System.Text.Json;

namespace Cloister.Scenarios.Tests;

/// <summary>Deploys templates once for a test class with <c>cloister up --detach</c>, and takes them down after.</summary>
public abstract class StackFixture : IAsyncLifetime
{
    private readonly string[] _upArguments;

    protected StackFixture(params string[] upArguments)
    {
        _upArguments = upArguments;
        Cli = new Cloister(Path.Combine(Path.GetTempPath(), "cloister-scenarios", Guid.NewGuid().ToString("N")[..12]));
    }

    internal Cloister Cli { get; }

    internal Dictionary<string, string> Outputs { get; private set; } = [];

    /// <summary>What <c>up</c> printed (its progress, warnings included).</summary>
    internal string UpOutput { get; private set; } = string.Empty;

    /// <summary>The status JSON right after up.</summary>
    internal JsonElement Status { get; private set; }

    public async Task InitializeAsync()
    {
        var up = await Cli.RunAsync(TimeSpan.FromMinutes(10), ["up", "--detach", .. _upArguments]);
        if (up.ExitCode != 0)
        {
            await Cli.RunAsync("down");
            throw new InvalidOperationException($"cloister up failed ({up.ExitCode}):\n{up.Output}\n{up.Error}");
        }

        UpOutput = up.Output;
        Outputs = await Cli.OutputsAsync();
        Status = await Cli.StatusAsync();
    }

    /// <summary>The addresses of the hosts named <paramref name="name"/> (logical id) of a kind.</summary>
    internal IReadOnlyList<string> AddressesOf(string kind, string name) =>
        [.. Status.GetProperty("Hosts").EnumerateArray()
            .Where(h => h.GetProperty("Kind").GetString() == kind && h.GetProperty("Name").GetString() == name)
            .Select(h => h.GetProperty("Address").GetString()!)
            .Order(StringComparer.Ordinal)];

    /// <summary>Where the services whose names start with <paramref name="prefix"/> (such as <c>load balancer </c>) listen, as <c>cloister status</c> lists them.</summary>
    internal IReadOnlyList<string> ServiceEndpoints(string prefix) =>
        [.. Status.GetProperty("Services").EnumerateArray()
            .Where(s => s.GetProperty("Name").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .SelectMany(s => s.GetProperty("Endpoints").EnumerateArray().Select(e => e.GetString()!))
            .Order(StringComparer.Ordinal)];

    public async Task DisposeAsync()
    {
        await Cli.RunAsync("down");
        try
        {
            Directory.Delete(Cli.Home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under /tmp.
        }
    }
}
