namespace Cloister.Shared.Processes;

/// <summary>Finds a program on a <c>PATH</c> value as <c>execvp</c> would: the first directory holding an executable file of that name.</summary>
internal static class ExecutableSearch
{
    /// <summary>The program's full path, or null when no directory of <paramref name="path"/> holds it executable.</summary>
    public static string? Find(string name, string? path)
    {
        foreach (var directory in (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether the file at <paramref name="path"/> has an execute bit set (for its owner, group or others), as exec first asks.</summary>
    public static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
