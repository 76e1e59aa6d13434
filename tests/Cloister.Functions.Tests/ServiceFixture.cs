using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>A <see cref="LambdaService"/> over a temporary state folder; every process it started is killed on dispose.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public ServiceFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "cloister-functions-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        CaBundle = Path.Combine(Root, "ca-bundle.pem");
        File.WriteAllText(CaBundle, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        Service = new LambdaService(new FunctionsOptions
        {
            State = new StatePaths(Path.Combine(Root, "state")),
            Account = new AccountContext("123456789012", "eu-central-1"),
            CaBundlePath = CaBundle,
            EventRetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)],
            UnreservedConcurrencyLimit = 8,
        });
    }

    public string Root { get; }

    public string CaBundle { get; }

    public LambdaService Service { get; }

    /// <summary>The test function's build output: the custom runtime bootstrap and the dotnet8 handler assembly.</summary>
    public static string TestFunctionDirectory { get; } = Path.GetFullPath(
        typeof(ServiceFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestFunctionDirectory").Value!);

    public static string FunctionsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "functions");

    public async Task<string> DeployAsync(
        string runtime,
        string handler,
        string? codePath,
        string? inlineCode = null,
        int timeoutSeconds = 3,
        int? reservedConcurrency = null,
        ImmutableDictionary<string, string>? environment = null)
    {
        var name = $"{runtime.Replace('.', '-')}-{Guid.NewGuid():N}"[..40];
        var result = await Service.DeployAsync(new LambdaFunction(
            name, name, runtime, handler, codePath, inlineCode, 256, timeoutSeconds,
            environment ?? ImmutableDictionary<string, string>.Empty, null, reservedConcurrency));
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return name;
    }

    /// <summary><paramref name="function"/> with version 1 published from it and alias <c>live</c> on that version.</summary>
    public static LambdaFunction WithVersionOne(LambdaFunction function) => function with
    {
        Versions = [new FunctionVersion("V1", "1", null, function)],
        Aliases = [new FunctionAlias("Live", "live", "1", null)],
    };

    public async Task<InvocationResult> InvokeAsync(string function, string json, InvocationType type = InvocationType.RequestResponse) =>
        await Service.InvokeAsync(function, Encoding.UTF8.GetBytes(json), type);

    public static JsonElement Json(InvocationResult result) => JsonDocument.Parse(result.Payload).RootElement.Clone();

    /// <summary>Asserts the function failed with <paramref name="errorType"/> and returns its error message.</summary>
    public static string AssertFunctionError(InvocationResult result, string errorType)
    {
        Assert.Equal("Unhandled", result.FunctionError);
        var error = Json(result);
        Assert.Equal(errorType, error.GetProperty("errorType").GetString());
        return error.GetProperty("errorMessage").GetString()!;
    }

    /// <summary>The function's log messages once <paramref name="condition"/> holds for them (polled, 10 s at most).</summary>
    public async Task<IReadOnlyList<string>> LogMessagesAsync(string function, Func<IReadOnlyList<string>, bool> condition) =>
        [.. (await LogEventsAsync(function, condition)).Select(e => e.Message)];

    /// <summary>The function's log events (stream, message) once <paramref name="condition"/> holds for the messages (polled, 10 s at most).</summary>
    public async Task<IReadOnlyList<(string Stream, string Message)>> LogEventsAsync(string function, Func<IReadOnlyList<string>, bool> condition)
    {
        var path = Service.LogPathOf(function);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<(string Stream, string Message)> events = [];
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                events = [.. ParseEvents(await CompleteLinesAsync(path))];
                if (condition([.. events.Select(e => e.Message)]))
                {
                    return events;
                }
            }

            await Task.Delay(20);
        }

        return events;
    }

    /// <summary>
    /// A log file's complete lines (empty when it does not exist yet): the writer flushes its buffer when it fills, so a
    /// reader may find the last line half written.
    /// </summary>
    public static async Task<string> CompleteLinesAsync(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return text[..(text.LastIndexOf('\n') + 1)];
    }

    /// <summary>The events (stream, message) of a log file's lines, <c>{"timestamp","logStreamName","message"}</c> each.</summary>
    public static IReadOnlyList<(string Stream, string Message)> ParseEvents(string lines) =>
        [.. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("logStreamName").GetString()!, e.GetProperty("message").GetString()!))];

    /// <summary>
    /// Whether the process is gone (polled, 10 s at most unless <paramref name="wait"/> says otherwise). A zombie counts
    /// as gone: it runs no more, and a killed orphan stays one where the machine's pid 1 does not reap (some containers).
    /// </summary>
    public static async Task<bool> ProcessGoneAsync(int pid, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
        while (Runs(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return !Runs(pid);
    }

    /// <summary>Kills what a failed test left running: the daemons are <c>sleep</c>s, so a reused process id is spared.</summary>
    public static void KillSleepers(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep")
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }
    }

    private static bool Runs(int pid)
    {
        try
        {
            // "pid (comm) S ...": the state follows the last parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
