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
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
