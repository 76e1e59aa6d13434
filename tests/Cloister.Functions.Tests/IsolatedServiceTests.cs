using Cloister.Model;

namespace Cloister.Functions.Tests;

/// <summary>Tests that need a <see cref="LambdaService"/> with options of their own, over a temporary folder.</summary>
public abstract class IsolatedServiceTests(Func<StatePaths, FunctionsOptions> options) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-functions-isolated-" + Guid.NewGuid().ToString("N")[..8]);

    protected LambdaService Service { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Service = new LambdaService(options(new StatePaths(_root)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The function's log file once it contains <paramref name="text"/> (polled, 10 s at most).</summary>
    protected async Task<string> LogContainingAsync(string function, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var log = string.Empty;
        while (!log.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            var path = Service.LogPathOf(function);
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                log = await reader.ReadToEndAsync();
            }
        }

        return log;
    }
}
