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
}
