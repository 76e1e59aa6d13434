using System.Collections.Immutable;
using System.Diagnostics;
using Cloister.Shared.Processes;

namespace Cloister.Functions.Runtimes;

/// <summary>
/// Knows the runtime names Lambda accepts and how each is started here. Interpreters are found once, on first use:
/// <c>node</c> and <c>python3</c> on PATH (a pyenv-style shim is resolved to the interpreter behind it, so a cold
/// start does not pay for the shim), <c>dotnet</c> as the one running Cloister.
/// </summary>
internal sealed class RuntimeCatalog
{
    private readonly FunctionsOptions _options;
    private readonly Lazy<string> _node;
    private readonly Lazy<string> _python;
    private readonly Lazy<string> _dotnet;

    public RuntimeCatalog(FunctionsOptions options)
    {
        _options = options;
        RuntimeDirectory = options.RuntimeDirectory ?? Path.Combine(AppContext.BaseDirectory, "lambda-runtimes");
        _node = new Lazy<string>(() => options.NodePath ?? FindOnPath("node") ?? "node");
        _python = new Lazy<string>(() => options.PythonPath ?? ResolvePython());
        _dotnet = new Lazy<string>(() => options.DotnetPath ?? FindDotnet());
    }

    /// <summary><c>LAMBDA_RUNTIME_DIR</c>: where the bootstraps written for Cloister live.</summary>
    public string RuntimeDirectory { get; }

    public static RuntimeKind? KindOf(string runtime) => runtime switch
    {
        "provided.al2023" or "provided.al2" or "provided" => RuntimeKind.Provided,
        _ when runtime.StartsWith("dotnet", StringComparison.Ordinal) && int.TryParse(runtime.AsSpan(6), out var v) && v >= 6 => RuntimeKind.Dotnet,
        _ when runtime.StartsWith("nodejs", StringComparison.Ordinal) && runtime.EndsWith(".x", StringComparison.Ordinal) => RuntimeKind.Node,
        _ when runtime.StartsWith("python3.", StringComparison.Ordinal) => RuntimeKind.Python,
        _ => null,
    };

    /// <summary>The command that starts <paramref name="runtime"/> for code in <paramref name="taskRoot"/>.</summary>
    public LaunchCommand CommandFor(string runtime, string taskRoot)
    {
        var executionEnv = ImmutableDictionary<string, string>.Empty.Add("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime);
        return KindOf(runtime) switch
        {
            RuntimeKind.Provided => new LaunchCommand(Path.Combine(taskRoot, "bootstrap"), [], ImmutableDictionary<string, string>.Empty, IsBootstrap: true),
            RuntimeKind.Node => new LaunchCommand(
                _node.Value,
                [Path.Combine(RuntimeDirectory, "node", "bootstrap.mjs")],
                executionEnv.Add("NODE_PATH", $"/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:{RuntimeDirectory}/node/node_modules")),
            RuntimeKind.Python => new LaunchCommand(
                _python.Value,
                ["-u", Path.Combine(RuntimeDirectory, "python", "bootstrap.py")],
                executionEnv.Add("PYTHONUNBUFFERED", "1").Add("PYTHONDONTWRITEBYTECODE", "1")
                    .Add("PYTHONPATH", $"/opt/python/lib/{runtime}/site-packages:/opt/python")),
            RuntimeKind.Dotnet => new LaunchCommand(
                _dotnet.Value,
                ["exec", Path.Combine(AppContext.BaseDirectory, "cloister-dotnet-host.dll")],
                executionEnv
                    .Add("DOTNET_ROOT", Path.GetDirectoryName(_dotnet.Value)!)
                    .Add("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
                    .Add("DOTNET_NOLOGO", "1")),
            _ => throw new ArgumentException($"Unsupported runtime {runtime}", nameof(runtime)),
        };
    }

    /// <summary>Directories Lambda's PATH would have, plus the interpreters' own.</summary>
    public string PathFor(string runtime)
    {
        var interpreter = KindOf(runtime) switch
        {
            RuntimeKind.Node => _node.Value,
            RuntimeKind.Python => _python.Value,
            RuntimeKind.Dotnet => _dotnet.Value,
            _ => null,
        };
        var dir = interpreter is null ? null : Path.GetDirectoryName(interpreter);
        return string.IsNullOrEmpty(dir) ? "/usr/local/bin:/usr/bin/:/bin:/opt/bin" : $"{dir}:/usr/local/bin:/usr/bin/:/bin:/opt/bin";
    }

    internal FunctionsOptions Options => _options;

    private static string? FindOnPath(string name) => ExecutableSearch.Find(name, Environment.GetEnvironmentVariable("PATH"));

    private static string ResolvePython()
    {
        var onPath = FindOnPath("python3") ?? "python3";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(onPath, ["-c", "import sys; print(sys.executable)"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return onPath;
            }

            var resolved = probe.StandardOutput.ReadToEnd().Trim();
            probe.WaitForExit();
            return probe.ExitCode == 0 && File.Exists(resolved) ? resolved : onPath;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return onPath;
        }
    }

    private static string FindDotnet()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        var onPath = FindOnPath("dotnet");
        return onPath is null ? "dotnet" : new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
    }
}
