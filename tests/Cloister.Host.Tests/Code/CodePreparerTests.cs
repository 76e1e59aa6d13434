using Cloister.Host.Code;
using Cloister.Templates;

namespace Cloister.Host.Tests.Code;

/// <summary>
/// Code folders holding a named pipe, a device or a socket: the deploy is refused before anything reads them (a pipe
/// would block the content hash or the build for ever, a device would be read as code), naming the function and the
/// file. Each test runs the preparation on a pool thread, so that a hang before the fix fails on the timeout.
/// </summary>
public sealed class CodePreparerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-prepare-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Cache => Path.Combine(_folder.FullName, "cache");

    private string In(params string[] parts) => Path.Combine([_folder.FullName, .. parts]);

    /// <summary>A folder with <paramref name="files"/> (name, content), subfolders made as needed.</summary>
    private string Folder(string name, params (string Name, string Text)[] files)
    {
        foreach (var (file, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(In(name, file))!);
            File.WriteAllText(In(name, file), text);
        }

        return In(name);
    }

    private static FunctionCode Code(string logicalId, CodeKind kind, string path) =>
        new("stack", logicalId, "stack-" + logicalId, kind, path, kind == CodeKind.DotNetProject ? "dotnet8" : "nodejs20.x", "index.handler");

    private Task<IReadOnlyDictionary<string, string>> PrepareAsync(params FunctionCode[] code) =>
        Task.Run(async () => (IReadOnlyDictionary<string, string>)await new CodePreparer(Cache).PrepareAsync(code));

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_ProjectFileNotXml_RefusedNamingFunctionAndFile()
    {
        // It escaped as an XmlException from the content hash's look for project references.
        var project = Folder("api", ("Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">"), ("Function.cs", "class F;"));

        var refused = await Assert.ThrowsAsync<CodePreparationException>(() => PrepareAsync(Code("ApiFunction", CodeKind.DotNetProject, project)));

        Assert.StartsWith($"ApiFunction (stack stack): code folder {project}: '{In("api", "Api.csproj")}' is not a project file MSBuild can read: ", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Cache), "nothing was published");
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_PublishFailsWithStagingLeftByDeadUp_LeavesNoStagingFolder()
    {
        // A failed publish left its {target}.tmp-{pid} in the cache (only a cancellation removed it), and so did every
        // up killed while publishing: nothing ever removed those.
        var project = Folder("broken", ("Broken.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><Target Name=\"Fail\" BeforeTargets=\"Restore;Build\"><Error Text=\"broken on purpose\" /></Target></Project>"));
        var abandoned = Path.Combine(Cache, "Api-0123abcd.tmp-2147483646");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, "half-written.dll"), "x");
        var alive = Path.Combine(Cache, "Api-0123abcd.tmp-" + Environment.ProcessId);
        Directory.CreateDirectory(alive);

        await Assert.ThrowsAsync<CodePreparationException>(() => PrepareAsync(Code("BrokenFunction", CodeKind.DotNetProject, project)));

        Assert.False(Directory.Exists(abandoned), "the staging folder of a process that is gone stayed");
        Assert.True(Directory.Exists(alive), "a live process's staging folder was taken");
        Assert.Equal([alive], Directory.GetDirectories(Cache));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_DotNetProjectHoldsNamedPipe_RefusesPromptlyNamingFunctionAndPipe()
    {
        var project = Folder("api", ("Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />"), ("Function.cs", "class F;"));
        var pipe = In("api", "data", "feed");
        Directory.CreateDirectory(In("api", "data"));
        SpecialFiles.NamedPipe(pipe);

        var refused = await Assert.ThrowsAsync<CodePreparationException>(() => PrepareAsync(Code("ApiFunction", CodeKind.DotNetProject, project)));

        Assert.Equal($"ApiFunction (stack stack): code folder {project}: '{pipe}' is a named pipe, not a file or directory.", refused.Message);
        Assert.False(Directory.Exists(Cache), "nothing was published");
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_NodeProjectHoldsSocketAndDevice_RefusesEveryOneBeforeNpm()
    {
        var project = Folder("web", ("package.json", """{ "name": "web", "version": "1.0.0" }"""), ("index.js", "exports.handler = async () => 1;"));
        using var socket = SpecialFiles.BoundSocket(In("web", "app.sock"));
        File.CreateSymbolicLink(In("web", "zeros"), "/dev/zero");

        var refused = await Assert.ThrowsAsync<CodePreparationException>(() => PrepareAsync(Code("WebFunction", CodeKind.NodeProject, project)));

        Assert.Equal(
            [
                $"WebFunction (stack stack): code folder {project}: '{In("web", "app.sock")}' is a socket, not a file or directory.",
                $"WebFunction (stack stack): code folder {project}: '{In("web", "zeros")}' is a character device, not a file or directory.",
            ],
            refused.Message.Split('\n'));
        Assert.False(File.Exists(In("web", "package-lock.json")), "npm did not run");
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_DotNetProjectReferencesProjectWithPipe_NamesEveryFunctionOfTheFolder()
    {
        Folder("lib", ("Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />"));
        SpecialFiles.NamedPipe(In("lib", "Generated.cs"));
        var project = Folder("app", ("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"..\\lib\\Lib.csproj\" /></ItemGroup></Project>"));

        var refused = await Assert.ThrowsAsync<CodePreparationException>(() => PrepareAsync(
            Code("First", CodeKind.DotNetProject, project),
            Code("Second", CodeKind.DotNetProject, project)));

        Assert.Equal($"First, Second (stack stack): code folder {project}: '{In("lib", "Generated.cs")}' is a named pipe, not a file or directory.", refused.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task PrepareAsync_FolderRunAsItIsHoldsNamedPipe_LeftUnread()
    {
        // A Python or plain folder is not read by the host at all: the function's runtime opens what it imports.
        var folder = Folder("py", ("app.py", "def handler(event, context): return 1"));
        SpecialFiles.NamedPipe(In("py", "fifo"));

        var prepared = await PrepareAsync(Code("PyFunction", CodeKind.PythonProject, folder));

        Assert.Empty(prepared);
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_NodeProjectWithLinkToFile_RunsNpm()
    {
        var project = Folder("linked", ("package.json", """{ "name": "linked", "version": "1.0.0" }"""), ("shared/config.json", "{}"));
        File.CreateSymbolicLink(In("linked", "config.json"), In("linked", "shared", "config.json"));

        var prepared = await PrepareAsync(Code("LinkedFunction", CodeKind.NodeProject, project));

        Assert.Empty(prepared);
        Assert.True(File.Exists(In("linked", "package-lock.json")), "npm install ran");
    }

    [Fact(Timeout = 120_000)]
    public async Task PrepareAsync_CancelledWhileNpmRuns_KillsNpmAndEveryProcessItStarted()
    {
        // Before, cancelling (Ctrl-C during up) only stopped waiting: npm and the script it ran went on without up.
        // The install script stands for a build tool's children: a shell that starts a long-lived process and waits.
        var project = Folder("tree", ("package.json", """
            { "name": "tree", "version": "1.0.0", "scripts": { "install": "echo $PPID $$ > tree.pids; sleep 300 & echo $! >> tree.pids; wait" } }
            """));
        using var cancel = new CancellationTokenSource();
        var preparing = Task.Run(() => new CodePreparer(Cache).PrepareAsync([Code("TreeFunction", CodeKind.NodeProject, project)], null, cancel.Token));
        var tree = await TreeAsync(In("tree", "tree.pids"), preparing);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => preparing);
        Assert.Equal(3, tree.Count);
        foreach (var pid in tree)
        {
            Assert.True(await GoneAsync(pid), $"process {pid} of the tree still runs");
        }
    }

    /// <summary>The pids the install script wrote (npm, its shell, the shell's child), once it has written all three.</summary>
    private static async Task<List<int>> TreeAsync(string file, Task preparing)
    {
        while (!preparing.IsCompleted)
        {
            var pids = File.Exists(file) ? File.ReadAllText(file).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries) : [];
            if (pids.Length == 3)
            {
                return [.. pids.Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
            }

            await Task.Delay(50);
        }

        await preparing;
        throw new InvalidOperationException("The preparation ended before the install script ran.");
    }

    /// <summary>Whether <paramref name="pid"/> has ended (gone, or a zombie nobody reaped yet), polled for up to 10 s.</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat) is var text && text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
