using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cloister.Model;
using Cloister.Model.Compute;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Bench;

/// <summary>The benchmark: a LambdaService with real processes, and a bare Kestrel server as the baseline.</summary>
internal sealed class FunctionBench : IAsyncDisposable
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"action":"echo","value":"benchmark"}""");

    private readonly string _root;
    private readonly LambdaService _service;
    private readonly string _bootstrapDirectory;
    private readonly string _functionsDirectory;
    private readonly string _testFunctionBuild;
    private readonly WebApplication _baseline;
    private int _counter;

    private FunctionBench(string root, LambdaService service, string bootstrapDirectory, string testFunctionBuild, WebApplication baseline)
    {
        _root = root;
        _service = service;
        _bootstrapDirectory = bootstrapDirectory;
        _testFunctionBuild = testFunctionBuild;
        _functionsDirectory = Path.Combine(AppContext.BaseDirectory, "functions");
        _baseline = baseline;
    }

    public static async Task<FunctionBench> CreateAsync(string repository)
    {
        var root = Path.Combine(Path.GetTempPath(), "cloister-functions-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        var bootstrap = await PublishReadyToRunAsync(repository);
        var build = await BuildTestFunctionAsync(repository);
        var service = new LambdaService(new FunctionsOptions
        {
            State = new StatePaths(Path.Combine(root, "state")),
            UnreservedConcurrencyLimit = 4,
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/", async context =>
        {
            var buffer = new byte[256];
            var read = await context.Request.Body.ReadAsync(buffer);
            context.Response.ContentLength = read;
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read));
        });
        await app.StartAsync();
        return new FunctionBench(root, service, bootstrap, build, app);
    }

    public async Task RunAsync(int iterations, int coldStarts, TextWriter output)
    {
        output.WriteLine($"Functions benchmark: {iterations} warm invocations, {coldStarts} cold starts per runtime, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("| round trip (ms) | n | p50 | p90 | p99 | mean |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        output.WriteLine((await BaselineAsync(iterations)).Row("bare HTTP POST on loopback (Kestrel + HttpClient)"));
        var runtimes = new (string Name, string Runtime, string Handler, string Code)[]
        {
            ("provided.al2023, C# RuntimeClient (ReadyToRun)", "provided.al2023", "bootstrap", _bootstrapDirectory),
            ("nodejs20.x", "nodejs20.x", "app.handler", Path.Combine(_functionsDirectory, "node")),
            ("python3.12", "python3.12", "app.handler", Path.Combine(RepositoryTestsFunctions, "python")),
            ("dotnet8 (Cloister .NET host)", "dotnet8", "Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::HandleAsync", _testFunctionBuild),
        };
        var cold = new List<string>();
        foreach (var (name, runtime, handler, code) in runtimes)
        {
            var function = await DeployAsync(runtime, handler, code);
            output.WriteLine((await WarmAsync(function, iterations)).Row($"warm invoke, {name}"));
            var (total, init) = await ColdAsync(runtime, handler, code, coldStarts);
            cold.Add(total.Row($"cold start (first invoke, end to end), {name}"));
            cold.Add(init.Row($"  of which Init Duration (process start to first /next), {name}"));
            await _service.RemoveAsync(function);
        }

        foreach (var row in cold)
        {
            output.WriteLine(row);
        }

        // What the machine itself takes to start these programs, measured in the same run (a loaded machine
        // slows every start alike): the same ReadyToRun binary exiting at once, and node doing nothing.
        output.WriteLine((await ProcessStartAsync(Path.Combine(_bootstrapDirectory, "bootstrap"), ["--exit"], coldStarts)).Row("baseline: start and exit, the same ReadyToRun C# binary"));
        output.WriteLine((await ProcessStartAsync("node", ["-e", "0"], coldStarts)).Row("baseline: start and exit, node -e 0"));
    }

    private static string RepositoryTestsFunctions => Path.Combine(Arguments.RepositoryRoot(), "tests", "Cloister.Functions.Tests", "functions");

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        await _baseline.StopAsync();
        await _baseline.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<LatencyStats> BaselineAsync(int iterations)
    {
        var address = _baseline.Urls.First();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var uri = new Uri(address + "/");
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations + 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(Payload);
            using var response = await client.PostAsync(uri, content);
            await response.Content.ReadAsByteArrayAsync();
            if (i >= 200)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return LatencyStats.Of(samples);
    }

    private async Task<LatencyStats> WarmAsync(string function, int iterations)
    {
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations + 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await _service.InvokeAsync(function, Payload);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{function}: {Encoding.UTF8.GetString(result.Payload.Span)}");
            }

            if (i >= 200)
            {
                samples.Add(elapsed);
            }
        }

        return LatencyStats.Of(samples);
    }

    private async Task<(LatencyStats Total, LatencyStats Init)> ColdAsync(string runtime, string handler, string code, int count)
    {
        var samples = new List<double>(count);
        var inits = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var function = await DeployAsync(runtime, handler, code);
            var started = Stopwatch.GetTimestamp();
            var result = await _service.InvokeAsync(function, Payload);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{function}: {Encoding.UTF8.GetString(result.Payload.Span)}");
            }

            await _service.RemoveAsync(function);
            inits.Add(InitDurationOf(_service.LogPathOf(function)));
        }

        return (LatencyStats.Of(samples), LatencyStats.Of(inits));
    }

    private static async Task<LatencyStats> ProcessStartAsync(string file, string[] arguments, int count)
    {
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })
                ?? throw new InvalidOperationException($"Could not start {file}");
            await process.WaitForExitAsync();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return LatencyStats.Of(samples);
    }

    private static double InitDurationOf(string logPath)
    {
        const string marker = "Init Duration: ";
        var text = File.ReadAllText(logPath);
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return double.NaN;
        }

        var end = text.IndexOf(" ms", at, StringComparison.Ordinal);
        return double.Parse(text.AsSpan(at + marker.Length, end - at - marker.Length), CultureInfo.InvariantCulture);
    }

    private async Task<string> DeployAsync(string runtime, string handler, string code)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"bench-{Interlocked.Increment(ref _counter)}");
        var result = await _service.DeployAsync(new LambdaFunction(
            name, name, runtime, handler, code, null, 512, 10, ImmutableDictionary<string, string>.Empty, null, null));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Problems));
        }

        return name;
    }

    /// <summary>
    /// Publishes the C# test function ReadyToRun as a custom runtime <c>bootstrap</c>, once per content hash of its
    /// sources (publishing is slow; the result is cached under obj/).
    /// </summary>
    private static async Task<string> PublishReadyToRunAsync(string repository)
    {
        var project = Path.Combine(repository, "tests", "Cloister.Functions.TestFunction");
        var hash = SourceHash(project, Path.Combine(repository, "src", "Cloister.Lambda.RuntimeClient"));
        var output = Path.Combine(repository, "bench", "Cloister.Functions.Bench", "obj", "bootstrap-r2r-" + hash);
        if (!File.Exists(Path.Combine(output, "bootstrap")))
        {
            await RunAsync("dotnet", "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
                "-p:PublishReadyToRun=true", "-o", output, "-nologo", "-v", "q");

            // The apphost finds its program by the name built into it, so a copy named bootstrap runs it.
            File.Copy(Path.Combine(output, "Cloister.Functions.TestFunction"), Path.Combine(output, "bootstrap"), overwrite: true);
        }

        return output;
    }

    private static async Task<string> BuildTestFunctionAsync(string repository)
    {
        var project = Path.Combine(repository, "tests", "Cloister.Functions.TestFunction");
        var output = Path.Combine(project, "bin", "Release", "net10.0");
        await RunAsync("dotnet", "build", project, "-c", "Release", "-nologo", "-v", "q");
        return output;
    }

    private static string SourceHash(params string[] directories)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in directories
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not start {file}");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with {process.ExitCode}");
        }
    }
}
