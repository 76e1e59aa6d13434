using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Cloister.Templates;

namespace Cloister.Host.Code;

/// <summary>
/// Makes local function code runnable before the sandbox exists (it may need the package registries): a .NET project
/// is published once per content hash (ReadyToRun, framework-dependent) into a folder whose <c>bootstrap</c> (or
/// assembly) Lambda's runtime starts; a Node project without <c>node_modules</c> gets <c>npm ci</c> (with a lock
/// file) or <c>npm install</c>. A layer folder with <c>nodejs/package.json</c> and no <c>nodejs/node_modules</c> is
/// copied and installed there, once per content hash, as <c>sam build</c> builds a Node layer. Everything else runs as
/// it is. A folder holding a named pipe, device or socket is refused before anything reads it, as AWS's packaging
/// cannot zip one (see docs/host.md).
/// </summary>
public sealed class CodePreparer(string cacheRoot)
{
    private const string StagingMark = ".tmp-";

    /// <summary>The default cache: <c>$XDG_CACHE_HOME/cloister/functions</c> (or <c>~/.cache/...</c>), shared by every state folder.</summary>
    public static string DefaultCacheRoot
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = string.IsNullOrWhiteSpace(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
            return Path.Combine(root, "cloister", "functions");
        }
    }

    /// <summary>
    /// Prepares every distinct code path, the functions' and their layers'; returns source path to runnable path for
    /// those that were prepared elsewhere (a .NET project's publish output, a Node layer's installed copy). Every folder
    /// a build or install will read is looked at first, without opening anything: a named pipe, device or socket in it
    /// (or a link to one) refuses the deploy before any tool runs, with every such file of every function at once.
    /// </summary>
    public async Task<ImmutableDictionary<string, string>> PrepareAsync(IEnumerable<FunctionCode> code, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var work = new List<(string Path, ProjectInputs? DotNet)>();
        var problems = new List<string>();
        foreach (var group in code.Where(c => c.Path is not null).GroupBy(c => (c.Path!, c.Kind)))
        {
            var (path, kind) = group.Key;
            var refused = new List<string>();
            switch (kind)
            {
                case CodeKind.DotNetProject:
                    work.Add((path, ProjectInputs.Of(FindProject(path), refused)));
                    break;
                case CodeKind.NodeProject when !Directory.Exists(Path.Combine(path, "node_modules")):
                    foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                    {
                        CodeFiles.Check(file, refused);
                    }

                    work.Add((path, null));
                    break;
                default:
                    // Run where they are: the host reads nothing in them, the function's runtime opens what it imports.
                    break;
            }

            var owners = $"{Names(group.Select(c => c.LogicalId))} (stack {Names(group.Select(c => c.StackName))})";
            problems.AddRange(refused.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(r => $"{owners}: code folder {path}: {r}"));
        }

        var layers = new List<(LayerCode Layer, string Owners, (string Into, bool Install) Build, string Hash)>();
        foreach (var group in code.SelectMany(c => c.Layers).GroupBy(l => l.Path, StringComparer.Ordinal))
        {
            var layer = group.First();
            var owners = $"{Names(group.Select(l => l.LogicalId))} (stack {Names(group.Select(l => l.StackName))}) {layer.Property}";
            if (LayerBuild(layer) is { } build)
            {
                var refused = new List<string>();
                var files = CodeFiles.Readable(layer.Path, refused);
                problems.AddRange(refused.Distinct(StringComparer.Ordinal).Select(r => $"{owners}: layer folder {layer.Path}: {r}"));
                if (refused.Count == 0)
                {
                    layers.Add((layer, owners, build, CodeFiles.ContentHash(files)));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new CodePreparationException(string.Join('\n', problems));
        }

        var prepared = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (path, project) in work)
        {
            if (project is not null)
            {
                prepared[path] = await PublishAsync(project, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await InstallAsync(path, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var (layer, owners, build, hash) in layers)
        {
            prepared[layer.Path] = await BuildLayerAsync(layer, owners, build, hash, progress, cancellationToken).ConfigureAwait(false);
        }

        return prepared.ToImmutable();
    }

    /// <summary>
    /// How a layer folder is built, as <c>sam build</c> builds a Node layer: with <c>Metadata.BuildMethod</c>
    /// <c>nodejs*</c> and a <c>package.json</c> at its root, the folder goes under <c>nodejs/</c> (what Lambda puts on
    /// <c>NODE_PATH</c> as <c>/opt/nodejs/node_modules</c>) and npm runs there; without it, a <c>nodejs/package.json</c>
    /// gets its <c>node_modules</c> as a function's <c>package.json</c> does. As for a function, a <c>node_modules</c>
    /// already there is used as it is. Null when nothing is built (a .zip, Python, any other folder).
    /// </summary>
    private static (string Into, bool Install)? LayerBuild(LayerCode layer)
    {
        if (layer.BuildMethod?.StartsWith("nodejs", StringComparison.Ordinal) == true && File.Exists(Path.Combine(layer.Path, "package.json")))
        {
            return ("nodejs", !Directory.Exists(Path.Combine(layer.Path, "node_modules")));
        }

        return File.Exists(Path.Combine(layer.Path, "nodejs", "package.json")) && !Directory.Exists(Path.Combine(layer.Path, "nodejs", "node_modules"))
            ? (string.Empty, true)
            : null;
    }

    /// <summary>The folder of a built layer's cache entry that holds the layer's files (beside the entry's <c>.complete</c> mark).</summary>
    private const string LayerContentFolder = "content";

    /// <summary>
    /// A copy of the layer's folder, placed as <paramref name="build"/> says and npm-installed, in the cache under the
    /// layer's logical id and content hash: the source folder is left as it is, and unchanged content is not built again.
    /// </summary>
    private async Task<string> BuildLayerAsync(LayerCode layer, string owners, (string Into, bool Install) build, string hash, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var target = Path.Combine(cacheRoot, $"layer-{layer.LogicalId}-{(build.Into.Length > 0 ? build.Into + "-" : string.Empty)}{hash}");
        try
        {
            // The layer's files go one level down, in "content": the cache's own mark stays out of the function's /opt.
            var built = await BuildOnceAsync(target, layer.Path, build.Install ? $"npm install for layer {layer.LogicalId}" : $"layer {layer.LogicalId} placed under {build.Into}/", progress, async staging =>
            {
                Copy(layer.Path, Path.Combine(staging, LayerContentFolder, build.Into));
                if (build.Install)
                {
                    await InstallAsync(Path.Combine(staging, LayerContentFolder, "nodejs"), progress, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            return Path.Combine(built, LayerContentFolder);
        }
        catch (CodePreparationException e)
        {
            throw new CodePreparationException($"{owners}: layer folder {layer.Path}: {e.Message}");
        }
    }

    private static void Copy(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Distinct(StringComparer.Ordinal));

    private static string FindProject(string projectFolder) =>
        Directory.EnumerateFiles(projectFolder, "*.csproj").Concat(Directory.EnumerateFiles(projectFolder, "*.fsproj")).Order(StringComparer.Ordinal).First();

    private async Task<string> PublishAsync(ProjectInputs inputs, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var project = inputs.ProjectFile;
        var projectFolder = Path.GetDirectoryName(project)!;
        var target = Path.Combine(cacheRoot, Path.GetFileNameWithoutExtension(project) + "-" + inputs.ContentHash());
        return await BuildOnceAsync(target, project, $"publishing {Path.GetFileName(project)} (ReadyToRun)", progress, staging => RunAsync(
            "dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", staging, "-nologo", "-v", "quiet"],
            projectFolder,
            cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="target"/> made once: <paramref name="build"/> writes into a staging folder
    /// (<c>{target}.tmp-{pid}</c>) that becomes the target, marked complete, only once the build has ended well; a
    /// failed or cancelled build leaves nothing behind.
    /// </summary>
    private async Task<string> BuildOnceAsync(string target, string source, string what, IProgress<string>? progress, Func<string, Task> build)
    {
        if (File.Exists(Path.Combine(target, ".complete")))
        {
            return target;
        }

        progress?.Report(what);
        RemoveAbandonedStaging();
        var staging = target + StagingMark + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        try
        {
            await build(staging).ConfigureAwait(false);

            // Built whole: from here on, finish (a cancellation now would only throw away a good build).
            await File.WriteAllTextAsync(Path.Combine(staging, ".complete"), source, CancellationToken.None).ConfigureAwait(false);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
            return target;
        }
        catch when (Directory.Exists(staging))
        {
            // Interrupted or failed: the tools are gone (RunAsync killed them on a cancellation), so is what they half wrote.
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Removes staging folders (<c>{target}.tmp-{pid}</c>) of preparations whose process is gone: an <c>up</c> killed or
    /// crashed while publishing left its half-written output in the cache for ever.
    /// </summary>
    private void RemoveAbandonedStaging()
    {
        if (!Directory.Exists(cacheRoot))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(cacheRoot, "*" + StagingMark + "*"))
        {
            var owner = folder[(folder.LastIndexOf(StagingMark, StringComparison.Ordinal) + StagingMark.Length)..];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out _) && !Directory.Exists("/proc/" + owner))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another preparation removing it at the same moment, or not ours to remove: leave it.
                }
            }
        }
    }

    private static async Task InstallAsync(string folder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var hasLock = File.Exists(Path.Combine(folder, "package-lock.json"));
        progress?.Report($"npm {(hasLock ? "ci" : "install")} in {folder}");
        await RunAsync("npm", [hasLock ? "ci" : "install", "--omit=dev", "--no-audit", "--no-fund"], folder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a tool to its end; a failure throws <see cref="CodePreparationException"/> with its output. Cancelled, it
    /// kills the tool with every process it started and throws <see cref="OperationCanceledException"/> once they are gone.
    /// </summary>
    private static async Task RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CodePreparationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C during up: the tool's children (MSBuild nodes, the compiler server, npm's scripts) would go on
            // without it, writing into the cache after up has said nothing is left running.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new CodePreparationException(
                $"{program} {string.Join(' ', start.ArgumentList)} failed in {workingDirectory} (exit {process.ExitCode}):\n{(await output.ConfigureAwait(false)).Trim()}\n{(await error.ConfigureAwait(false)).Trim()}".TrimEnd());
        }
    }
}

/// <summary>Function code could not be made runnable; the message holds the tool's output.</summary>
public sealed class CodePreparationException(string message) : Exception(message);
