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
}
