using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Cloister.Templates;

namespace Cloister.Host.Code;

/// <summary>
/// Makes local function code runnable before the sandbox exists (it may need the package registries): a .NET project
/// is published once per content hash (ReadyToRun, framework-dependent) into a folder whose <c>bootstrap</c> (or
/// assembly) Lambda's runtime starts; a Node project without <c>node_modules</c> gets <c>npm ci</c> (with a lock
/// file) or <c>npm install</c>. Everything else runs as it is.
/// </summary>
public sealed class CodePreparer(string cacheRoot)
{
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

    /// <summary>Prepares every distinct code path; returns source path to runnable path for those that needed work.</summary>
    public async Task<ImmutableDictionary<string, string>> PrepareAsync(IEnumerable<FunctionCode> code, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var prepared = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var group in code.Where(c => c.Path is not null).GroupBy(c => (c.Path!, c.Kind)))
        {
            var (path, kind) = group.Key;
            switch (kind)
            {
                case CodeKind.DotNetProject:
                    prepared[path] = await PublishAsync(path, progress, cancellationToken).ConfigureAwait(false);
                    break;
                case CodeKind.NodeProject when !Directory.Exists(Path.Combine(path, "node_modules")):
                    await InstallAsync(path, progress, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }

        return prepared.ToImmutable();
    }

    private async Task<string> PublishAsync(string projectFolder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var project = Directory.EnumerateFiles(projectFolder, "*.csproj").Concat(Directory.EnumerateFiles(projectFolder, "*.fsproj")).Order(StringComparer.Ordinal).First();
        var target = Path.Combine(cacheRoot, Path.GetFileNameWithoutExtension(project) + "-" + ContentHash(project));
        if (File.Exists(Path.Combine(target, ".complete")))
        {
            return target;
        }

        progress?.Report($"publishing {Path.GetFileName(project)} (ReadyToRun)");
        var staging = target + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        await RunAsync(
            "dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", staging, "-nologo", "-v", "quiet"],
            projectFolder,
            cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(staging, ".complete"), project, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
        return target;
    }

    private static async Task InstallAsync(string folder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var hasLock = File.Exists(Path.Combine(folder, "package-lock.json"));
        progress?.Report($"npm {(hasLock ? "ci" : "install")} in {folder}");
        await RunAsync("npm", [hasLock ? "ci" : "install", "--omit=dev", "--no-audit", "--no-fund"], folder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A hash of everything the build reads: the project's files and, recursively, those of the projects it references
    /// (bin and obj left out), plus the central package versions and build props above it.
    /// </summary>
    internal static string ContentHash(string projectFile)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        Collect(Path.GetFullPath(projectFile), files, new HashSet<string>(StringComparer.Ordinal));
        foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            for (var dir = Path.GetDirectoryName(Path.GetFullPath(projectFile)); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    files.Add(candidate);
                }
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void Collect(string projectFile, SortedSet<string> files, HashSet<string> seen)
    {
        if (!seen.Add(projectFile) || !File.Exists(projectFile))
        {
            return;
        }

        var folder = Path.GetDirectoryName(projectFile)!;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var segments = Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar);
            if (segments[0] != "node_modules" && !segments[..^1].Any(s => s is "bin" or "obj"))
            {
                files.Add(file);
            }
        }

        var references = XDocument.Load(projectFile).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>();
        foreach (var reference in references)
        {
            Collect(Path.GetFullPath(Path.Combine(folder, reference.Replace('\\', '/'))), files, seen);
        }
    }

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
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new CodePreparationException(
                $"{program} {string.Join(' ', start.ArgumentList)} failed in {workingDirectory} (exit {process.ExitCode}):\n{(await output.ConfigureAwait(false)).Trim()}\n{(await error.ConfigureAwait(false)).Trim()}".TrimEnd());
        }
    }
}

/// <summary>Function code could not be made runnable; the message holds the tool's output.</summary>
public sealed class CodePreparationException(string message) : Exception(message);
