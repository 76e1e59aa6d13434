using System.Diagnostics;

namespace Cloister.Tables.Tests.Durability;

/// <summary>The real <c>cloister serve dynamodb</c> process (the CLI built next to the tests), on a free loopback port.</summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Id => _process.Id;

    public static async Task<ServeProcess> StartAsync(string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "cloister.dll"), "serve", "dynamodb", "--port", "0", "--data", dataDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(cancellation.Token)
            ?? throw new InvalidOperationException("serve dynamodb exited: " + await process.StandardError.ReadToEndAsync(cancellation.Token));
        var marker = line.IndexOf("http://", StringComparison.Ordinal);
        var url = new Uri(line[marker..line.IndexOf(' ', marker)]);
        return new ServeProcess(process, url);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
