using System.Security.Cryptography;
using System.Text;

namespace Cloister.Templates.Code;

/// <summary>
/// A digest of a local code path's content, standing in for what SAM CLI writes in its place before SAM sees the
/// template: an S3 location whose key is made from the content, so that SAM's version hash changes with the code.
/// </summary>
internal static class LocalCodeDigest
{
    /// <summary>Folders Cloister makes itself from the files it hashes (a .NET project's build, a Node project's packages).</summary>
    private static readonly HashSet<string> Generated = new(StringComparer.Ordinal) { "bin", "obj", "node_modules" };

    /// <summary>
    /// The SHA-256 (hex) of <paramref name="codePath"/>, taken relative to <paramref name="templateFile"/>: a file's bytes,
    /// or a folder's regular files by relative path and content; null when it is neither (reported elsewhere).
    /// </summary>
    public static string? Of(string templateFile, string codePath)
    {
        if (CodeLocator.Resolve(templateFile, codePath, out _) is not { } path)
        {
            return null;
        }

        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            switch (LocalFiles.TypeOf(path))
            {
                case LocalFileType.File:
                    Append(hash, path);
                    break;
                case LocalFileType.Directory:
                    AppendFolder(hash, path);
                    break;
                default:
                    return null;
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void AppendFolder(IncrementalHash hash, string folder)
    {
        // Links are not followed (a link to a parent folder would never end), and only regular files are read: opening a
        // named pipe waits for a writer.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var files = Directory.EnumerateFiles(folder, "*", options)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(relative => !relative.Split(Path.DirectorySeparatorChar).SkipLast(1).Any(Generated.Contains))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            var full = Path.Combine(folder, relative);
            if (LocalFiles.TypeOf(full) == LocalFileType.File)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(relative + "\0"));
                Append(hash, full);
            }
        }
    }

    private static void Append(IncrementalHash hash, string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> buffer = stackalloc byte[8192];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer[..read]);
        }
    }
}
