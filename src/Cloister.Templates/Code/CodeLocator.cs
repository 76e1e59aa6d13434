namespace Cloister.Templates.Code;

/// <summary>Finds what a local code path is: an archive, a .NET, Node or Python project, or a plain folder.</summary>
internal static class CodeLocator
{
    /// <summary>
    /// The absolute path of <paramref name="codePath"/> taken relative to the template's folder; null with
    /// <paramref name="error"/> when it cannot be a path (a NUL character, which no file system allows, or an
    /// <c>s3://</c> location).
    /// </summary>
    public static string? Resolve(string templateFile, string codePath, out string error)
    {
        error = string.Empty;
        if (codePath.Contains('\0', StringComparison.Ordinal))
        {
            error = "A path cannot contain a NUL character.";
            return null;
        }

        if (codePath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            // A packaged template's location; taken as a path it was reported as "'s3:/bucket/key' does not exist".
            error = $"'{codePath}' is in S3, which Cloister does not run; give the local folder or .zip that sam package uploaded from.";
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(templateFile)) ?? Directory.GetCurrentDirectory();
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(folder, codePath)));
    }

    /// <summary>
    /// The kind of code at <paramref name="fullPath"/>, or null with <paramref name="error"/> when there is none usable
    /// (nothing there, or a named pipe, device or socket, which is refused without being opened).
    /// </summary>
    public static CodeKind? Classify(string fullPath, out string error)
    {
        var type = LocalFiles.TypeOf(fullPath);
        if (LocalFiles.Refusal(fullPath, type, folderAllowed: true) is { } refusal)
        {
            error = refusal;
            return null;
        }

        error = string.Empty;
        if (type == LocalFileType.File)
        {
            if (fullPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || fullPath.EndsWith(".jar", StringComparison.OrdinalIgnoreCase))
            {
                return CodeKind.ZipArchive;
            }

            error = $"'{fullPath}' is a file but not a .zip archive; give a folder or a .zip.";
            return null;
        }

        try
        {
            if (Directory.EnumerateFiles(fullPath, "*.csproj").Any() || Directory.EnumerateFiles(fullPath, "*.fsproj").Any())
            {
                return CodeKind.DotNetProject;
            }

            if (File.Exists(Path.Combine(fullPath, "package.json")))
            {
                return CodeKind.NodeProject;
            }

            if (File.Exists(Path.Combine(fullPath, "requirements.txt")) || Directory.EnumerateFiles(fullPath, "*.py").Any())
            {
                return CodeKind.PythonProject;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Cannot read the folder '{fullPath}': {e.Message}";
            return null;
        }

        return CodeKind.Folder;
    }
}
