using System.Collections.Immutable;
using System.IO.Compression;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// A function's layers seen at <c>/opt</c> by its real runtime processes: modules on NODE_PATH and PYTHONPATH, programs
/// on PATH, a later layer's files over an earlier one's, read-only, and the host's own <c>/opt</c> untouched.
/// </summary>
public sealed class LayerTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const string PythonHandler = """
        import os, subprocess, shared
        def handler(event, context):
            try:
                open('/opt/python/written.py', 'w').close()
                writable = True
            except OSError:
                writable = False
            tool = subprocess.run(['tool'], capture_output=True, text=True).stdout.strip()
            return {'who': shared.WHO, 'tool': tool, 'opt': sorted(os.listdir('/opt')), 'writable': writable}

        """;

    private static LambdaFunction Function(string runtime, string handler, string inline, params LayerVersion[] layers)
    {
        var name = $"layers-{runtime.Replace('.', '-')}-{Guid.NewGuid():N}"[..40];
        return new LambdaFunction(name, name, runtime, handler, null, inline, 256, 10, ImmutableDictionary<string, string>.Empty, null, null)
        {
            Layers = [.. layers],
        };
    }

    private static LayerVersion Layer(string name, string contentPath) =>
        new(name, name, $"arn:aws:lambda:eu-central-1:123456789012:layer:{name}:1", contentPath, [], [], null);

    /// <summary>A folder layer with <paramref name="files"/> (relative path, content); an executable when the path starts with <c>bin/</c>.</summary>
    private string FolderLayer(string name, params (string Path, string Content)[] files)
    {
        var folder = Path.Combine(fixture.Root, "layer-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (path, content) in files)
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
            if (path.StartsWith("bin/", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }

        return folder;
    }

    private string ZipLayer(string name, params (string Path, string Content)[] files)
    {
        var zip = Path.Combine(fixture.Root, "layer-" + name + "-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var (path, content) in files)
        {
            using var writer = new StreamWriter(archive.CreateEntry(path).Open());
            writer.Write(content);
        }

        return zip;
    }

    private static string HostOpt() =>
        string.Join('\n', Directory.EnumerateFileSystemEntries("/opt").Order(StringComparer.Ordinal))
        + "\n" + string.Join('\n', File.ReadLines("/proc/self/mountinfo").Where(l => l.Split(' ')[4] == "/opt"));

    [Fact]
    public async Task Invoke_PythonWithTwoLayers_ImportsFromOptPythonRunsOptBinAndLaterLayerWins()
    {
        var before = HostOpt();
        var first = Layer("first", FolderLayer("first", ("python/shared.py", "WHO = 'first'\n"), ("bin/tool", "#!/bin/sh\necho tool-from-first\n")));
        var second = Layer("second", ZipLayer("second", ("python/shared.py", "WHO = 'second'\n")));
        var function = Function("python3.12", "index.handler", PythonHandler, first, second);
        var deployed = await fixture.Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var result = await fixture.InvokeAsync(function.FunctionName, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var answer = ServiceFixture.Json(result);
        Assert.Equal("second", answer.GetProperty("who").GetString());
        Assert.Equal("tool-from-first", answer.GetProperty("tool").GetString());
        Assert.Equal(["bin", "python"], answer.GetProperty("opt").EnumerateArray().Select(e => e.GetString()));
        Assert.False(answer.GetProperty("writable").GetBoolean());
        Assert.Equal(before, HostOpt());
    }

    [Fact]
    public async Task Invoke_NodeWithLayer_RequiresModuleFromOptNodejsNodeModules()
    {
        var before = HostOpt();
        var layer = Layer("greeting", FolderLayer("greeting", ("nodejs/node_modules/greeting/index.js", "module.exports = (who) => `hello ${who} from a layer`;\n")));
        var function = Function(
            "nodejs20.x",
            "index.handler",
            "const greet = require('greeting');\nexports.handler = async () => ({ greeting: greet('node') });\n",
            layer);
        var deployed = await fixture.Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var result = await fixture.InvokeAsync(function.FunctionName, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("hello node from a layer", ServiceFixture.Json(result).GetProperty("greeting").GetString());
        Assert.Equal(before, HostOpt());
    }

    [Fact]
    public async Task Invoke_MissingBootstrapWithLayers_ReturnsInvalidEntrypointAsWithout()
    {
        var empty = Directory.CreateDirectory(Path.Combine(fixture.Root, "empty-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var layer = Layer("lib", FolderLayer("lib", ("lib/readme.txt", "x")));
        var function = Function("provided.al2023", "x", string.Empty, layer) with { InlineCode = null, CodePath = empty };
        var deployed = await fixture.Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var result = await fixture.InvokeAsync(function.FunctionName, "{}");

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.InvalidEntrypoint", ServiceFixture.Json(result).GetProperty("errorType").GetString());
    }

    /// <summary>Lambda looks for a custom runtime's bootstrap in the code, then at <c>/opt/bootstrap</c>, where a layer may bring it.</summary>
    [Fact]
    public async Task Invoke_BootstrapOnlyInALayer_RunsOptBootstrap()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var runtime = Directory.CreateDirectory(Path.Combine(fixture.Root, "runtime-layer-" + suffix)).FullName;
        File.Copy(Path.Combine(ServiceFixture.FunctionsDirectory, "init", "bootstrap"), Path.Combine(runtime, "bootstrap"));
        var empty = Directory.CreateDirectory(Path.Combine(fixture.Root, "no-bootstrap-" + suffix)).FullName;
        var function = Function("provided.al2023", "x", string.Empty, Layer("runtime", runtime)) with { InlineCode = null, CodePath = empty };
        var deployed = await fixture.Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var result = await fixture.InvokeAsync(function.FunctionName, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal(1, ServiceFixture.Json(result).GetProperty("inits").GetInt32());
    }

    [Fact]
    public async Task Deploy_CodeAndLayersOver250MBUnzipped_IsRefusedWithLambdasMessage()
    {
        // 260 MB of zeros deflates to a small zip; Lambda counts the unzipped size.
        var zip = Path.Combine(fixture.Root, "big-" + Guid.NewGuid().ToString("N")[..8] + ".zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            await using var entry = archive.CreateEntry("big.bin", CompressionLevel.Fastest).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 260; i++)
            {
                await entry.WriteAsync(zeros);
            }
        }

        var function = Function("python3.12", "index.handler", PythonHandler, Layer("big", zip));

        var deployed = await fixture.Service.DeployAsync(function);

        var problem = Assert.Single(deployed.Problems);
        Assert.Contains("Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_LayerContentMissing_IsProblemNamingTheLayer()
    {
        var function = Function("python3.12", "index.handler", PythonHandler, Layer("gone", Path.Combine(fixture.Root, "no-such-layer")));

        var deployed = await fixture.Service.DeployAsync(function);

        var problem = Assert.Single(deployed.Problems);
        Assert.Contains("layer arn:aws:lambda:eu-central-1:123456789012:layer:gone:1", problem, StringComparison.Ordinal);
    }
}
