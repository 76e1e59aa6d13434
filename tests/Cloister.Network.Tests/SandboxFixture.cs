using System.Globalization;
using Cloister.Model;

namespace Cloister.Network.Tests;

/// <summary>
/// Starts one sandbox for a test class with a prefix unique to this run (<c>clt-PID-RANDOM-</c>), removes
/// leftovers of test runs whose process is gone, and tears everything down in <see cref="DisposeAsync"/>,
/// whatever the tests did.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    private readonly Func<CloudModel> _model;

    public SandboxFixture()
        : this(() => MatrixTopology.Build())
    {
    }

    protected SandboxFixture(Func<CloudModel> model) => _model = model;

    public Sandbox Sandbox { get; private set; } = null!;

    public string Runtime { get; } = Path.Combine(Path.GetTempPath(), "cloister-network-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public static string NewPrefix() =>
        string.Create(CultureInfo.InvariantCulture, $"clt-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}-");

    public virtual async Task InitializeAsync()
    {
        await RemoveOrphansAsync();
        Sandbox = await Sandbox.StartAsync(_model(), new SandboxOptions(NewPrefix(), Runtime));
    }

    public virtual async Task DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        if (Directory.Exists(Runtime))
        {
            Directory.Delete(Runtime, recursive: true);
        }
    }

    /// <summary>Namespaces of test runs whose process no longer exists (a crashed or killed run).</summary>
    public static async Task RemoveOrphansAsync()
    {
        foreach (var name in await Sandbox.ListNamespacesAsync("clt-"))
        {
            var parts = name.Split('-');
            if (parts.Length > 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                await Sandbox.CleanupAsync($"clt-{parts[1]}-{parts[2]}-");
            }
        }
    }
}
