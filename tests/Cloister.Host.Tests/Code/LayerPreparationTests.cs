using System.Diagnostics;
using Cloister.Host.Code;
using Cloister.Templates;

namespace Cloister.Host.Tests.Code;

/// <summary>
/// Layers prepared at <c>up</c> as <c>sam build</c> builds them: a folder with <c>nodejs/package.json</c> gets its
/// <c>nodejs/node_modules</c> installed by npm in a copy, once per content hash. The packages come from a local
/// tarball (<c>file:</c>), so npm needs no registry.
/// </summary>
public sealed class LayerPreparationTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-layers-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Cache => Path.Combine(_folder.FullName, "cache");

    private string In(params string[] parts) => Path.Combine([_folder.FullName, .. parts]);

    private void Write(string text, params string[] parts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(In(parts))!);
        File.WriteAllText(In(parts), text);
    }

    /// <summary>An inline function that lists the layer at <paramref name="path"/>, written as SAM's <c>ContentUri</c>.</summary>
    private static FunctionCode Using(string path, string layer = "NodeLayer", string? buildMethod = null) =>
        new("stack", "ApiFunction", "stack-ApiFunction", CodeKind.Inline, null, "nodejs20.x", "index.handler")
        {
            Layers = [new LayerCode("stack", layer, "ContentUri", path) { BuildMethod = buildMethod }],
        };

    /// <summary>
    /// A layer folder whose <c>package.json</c> (in <paramref name="packageFolder"/>: <c>nodejs</c>, or the root for a
    /// SAM <c>BuildMethod</c>) depends on a local package, packed by npm next to it.
    /// </summary>
    private async Task<string> NodeLayerAsync(string name, string packageFolder = "nodejs")
    {
        Write("""{ "name": "greet", "version": "1.0.0", "main": "index.js" }""", "greet", "package.json");
        Write("exports.greet = () => 'hello';", "greet", "index.js");
        Directory.CreateDirectory(In(name, packageFolder));
        await RunAsync("npm", In("greet"), "pack", "--pack-destination", In(name, packageFolder));
        Write("""{ "name": "shared", "version": "1.0.0", "dependencies": { "greet": "file:greet-1.0.0.tgz" } }""", name, packageFolder, "package.json");
        return In(name);
    }

    private static async Task RunAsync(string program, string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }

    private Task<IReadOnlyDictionary<string, string>> PrepareAsync(IProgress<string>? progress, params FunctionCode[] code) =>
        Task.Run(async () => (IReadOnlyDictionary<string, string>)await new CodePreparer(Cache).PrepareAsync(code, progress));

    /// <summary>Collects progress as it is reported (<see cref="Progress{T}"/> would post it later).</summary>
    private sealed class Reports : IProgress<string>
    {
        public List<string> Lines { get; } = [];

        public void Report(string value) => Lines.Add(value);
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_NodeLayerWithPackageJson_InstallsNodeModulesInACopy()
    {
        var layer = await NodeLayerAsync("shared");

        var prepared = await PrepareAsync(null, Using(layer));

        var copy = prepared[layer];
        Assert.StartsWith(Path.Combine(Cache, "layer-NodeLayer-"), copy, StringComparison.Ordinal);
        Assert.Equal("exports.greet = () => 'hello';", File.ReadAllText(Path.Combine(copy, "nodejs", "node_modules", "greet", "index.js")));
        Assert.True(File.Exists(Path.Combine(copy, "nodejs", "package.json")), "the layer's own files are in the copy");
        Assert.False(Directory.Exists(Path.Combine(layer, "nodejs", "node_modules")), "the source folder was left as it is");
        Assert.Equal(["nodejs"], Directory.EnumerateFileSystemEntries(copy).Select(Path.GetFileName));
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_SamBuildMethodNodejsWithRootPackageJson_PlacedUnderNodejsAndInstalled()
    {
        var layer = await NodeLayerAsync("shared", packageFolder: string.Empty);

        var prepared = await PrepareAsync(null, Using(layer, buildMethod: "nodejs20.x"));

        var copy = prepared[layer];
        Assert.True(File.Exists(Path.Combine(copy, "nodejs", "package.json")), "the layer's root went under nodejs/");
        Assert.True(File.Exists(Path.Combine(copy, "nodejs", "node_modules", "greet", "index.js")), "npm installed under nodejs/");
        Assert.False(File.Exists(Path.Combine(copy, "package.json")), "nothing stayed at the root");
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_RootPackageJsonWithoutBuildMethod_UsedAsItIs()
    {
        // sam build builds no layer without a BuildMethod: the folder is the layer as it is.
        Write("""{ "name": "root", "version": "1.0.0" }""", "root", "package.json");

        var prepared = await PrepareAsync(null, Using(In("root")));

        Assert.Empty(prepared);
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_SameLayerContentTwice_InstalledOnceAndAgainWhenChanged()
    {
        var layer = await NodeLayerAsync("shared");
        var first = new Reports();
        var second = new Reports();
        var third = new Reports();

        var before = (await PrepareAsync(first, Using(layer), Using(layer, "NodeLayer")))[layer];
        var again = (await PrepareAsync(second, Using(layer)))[layer];
        Write("exports.version = 2;", "shared", "nodejs", "version.js");
        var changed = (await PrepareAsync(third, Using(layer)))[layer];

        Assert.Single(first.Lines, l => l == "npm install for layer NodeLayer");
        Assert.Equal(before, again);
        Assert.Empty(second.Lines);
        Assert.NotEqual(before, changed);
        Assert.Contains("npm install for layer NodeLayer", third.Lines);
        Assert.True(File.Exists(Path.Combine(changed, "nodejs", "version.js")), "the changed content was copied");
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_NpmFailsForLayer_NamesLayerAndPropertyAndLeavesNothing()
    {
        Write("""{ "name": "broken", "version": "1.0.0", "dependencies": { "gone": "file:gone-1.0.0.tgz" } }""", "broken", "nodejs", "package.json");

        var failed = await Assert.ThrowsAsync<CodePreparationException>(() => PrepareAsync(null, Using(In("broken"), "BrokenLayer")));

        Assert.StartsWith($"BrokenLayer (stack stack) ContentUri: layer folder {In("broken")}: npm install --omit=dev", failed.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Cache));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_LayersNotNodeToInstall_UsedAsTheyAre()
    {
        // As for functions: node_modules already there, Python's requirements.txt (no PyPI here), a .zip.
        Write("{}", "installed", "nodejs", "package.json");
        Write("module.exports = 1;", "installed", "nodejs", "node_modules", "x", "index.js");
        Write("requests==2.32.0", "python", "python", "requirements.txt");
        Write("PK", "layer.zip");

        var prepared = await PrepareAsync(null, Using(In("installed"), "Installed"), Using(In("python"), "Python"), Using(In("layer.zip"), "Zipped"));

        Assert.Empty(prepared);
        Assert.False(Directory.Exists(Cache), "nothing was copied");
    }
}
