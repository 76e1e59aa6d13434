using System.Diagnostics;
using System.Text.Json;
using Cloister.Tests.Shared;

namespace Cloister.Scenarios.Tests;

/// <summary>Runs the real <c>cloister</c> command (the apphost built next to these tests) against one state folder, as a user would.</summary>
internal sealed class Cloister(string home)
{
    /// <summary>The state folder (<c>CLOISTER_HOME</c>).</summary>
    public string Home { get; } = home;

    /// <summary>The repository root, where the samples are.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A sample's file.</summary>
    public static string Sample(string relative) => Path.Combine(RepositoryRoot, "samples", relative);

    public async Task<Result> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cloister"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLOISTER_HOME"] = Home;
        start.Environment["CLOISTER_ROOT"] = RepositoryRoot;
        using var process = Process.Start(start)!;
        var (exitCode, output, error) = await ProcessCompletion.FinishAsync(process, timeout, $"cloister {string.Join(' ', args)}");
        return new Result(exitCode, output, error);
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(60), args);

    /// <summary><c>cloister exec --from HOST -- CMD...</c>.</summary>
    public Task<Result> ExecAsync(string host, params string[] command) => RunAsync(TimeSpan.FromSeconds(60), ["exec", "--from", host, "--", .. command]);

    /// <summary><c>curl</c> from a host: status code, headers and body.</summary>
    public async Task<HttpResult> CurlAsync(string host, string method, string url, string? body = null, params string[] headers)
    {
        List<string> command = ["curl", "-s", "-m", "20", "-o", "/dev/stdout", "-D", "/dev/stderr", "-X", method, url];
        foreach (var header in headers)
        {
            command.AddRange(["-H", header]);
        }

        if (body is not null)
        {
            command.AddRange(["-H", "Content-Type: application/json", "--data-binary", body]);
        }

        return await CurlAsync(host, command);
    }

    /// <summary><c>curl</c> from a host with <c>--resolve NAME:443:ADDRESS</c>: the name sent to <paramref name="address"/> (as SNI and Host) without asking DNS.</summary>
    public Task<HttpResult> CurlResolvedAsync(string host, string url, string address, params string[] headers) =>
        CurlAsync(host, ["curl", "-s", "-m", "20", "-o", "/dev/stdout", "-D", "/dev/stderr", "--resolve", $"{new Uri(url).Host}:443:{address}", url, .. headers.SelectMany(h => new[] { "-H", h })]);

    private async Task<HttpResult> CurlAsync(string host, List<string> command)
    {
        var result = await ExecAsync(host, [.. command]);
        Assert.True(result.ExitCode == 0, $"curl from {host} failed ({result.ExitCode}): {result.Error}");
        var statusLine = result.Error.Split('\n').First(l => l.StartsWith("HTTP/", StringComparison.Ordinal));
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new HttpResult(status, result.Error, result.Output);
    }

    /// <summary>The running stacks' outputs, by key.</summary>
    /// <summary><c>cloister status --json</c>, parsed.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        var result = await RunAsync("status", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }

    public async Task<Dictionary<string, string>> OutputsAsync()
    {
        var result = await RunAsync("outputs", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("Stacks").EnumerateArray()
            .SelectMany(s => s.GetProperty("Outputs").EnumerateArray())
            .ToDictionary(o => o.GetProperty("OutputKey").GetString()!, o => o.GetProperty("OutputValue").GetString()!, StringComparer.Ordinal);
    }

    private static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Cloister.slnx")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("The repository root (Cloister.slnx) is not above the test folder.");
    }

    internal sealed record Result(int ExitCode, string Output, string Error);

    internal sealed record HttpResult(int Status, string Headers, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

        public string? Header(string name) => Headers.Split('\n')
            .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim())
            .FirstOrDefault();
    }
}
