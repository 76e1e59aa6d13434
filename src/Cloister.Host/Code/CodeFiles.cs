using System.Security.Cryptography;
using System.Text;
using Cloister.Templates.Code;

namespace Cloister.Host.Code;

/// <summary>
/// Looks at the files of a function's code folder with <c>statx</c>, never opening them: opening a named pipe waits for
/// a writer, and a device would be read as if it were code.
/// </summary>
internal static class CodeFiles
{
    /// <summary>
    /// The type of <paramref name="path"/>; adds to <paramref name="refused"/> why it cannot be read when it is a named
    /// pipe, a device, a socket or a path <c>statx</c> cannot look at. A dangling link is no refusal: it has nothing to
    /// read and opening it cannot block, so whoever reads the folder leaves it out.
    /// </summary>
    public static LocalFileType Check(string path, ICollection<string> refused)
    {
        var type = LocalFiles.TypeOf(path);
        if (type != LocalFileType.Missing && LocalFiles.Refusal(path, type, folderAllowed: true) is { } refusal)
        {
            refused.Add(refusal);
        }

        return type;
    }

    /// <summary>
    /// Every file under <paramref name="folder"/> that can be read, each looked at first (see <see cref="Check"/>):
    /// what cannot be read as a file is added to <paramref name="refused"/>, dangling links are left out.
    /// </summary>
    public static IReadOnlyList<string> Readable(string folder, ICollection<string> refused) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => Check(f, refused) == LocalFileType.File).Order(StringComparer.Ordinal)];

    /// <summary>A hash of every file's path and content, in the order given: a preparation cache's key.</summary>
    public static string ContentHash(IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
