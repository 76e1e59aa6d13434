namespace Cloister.Tests.Shared;

/// <summary>What this process's file descriptors point at, for tests that check a stop closed what it opened.</summary>
internal static class OpenFiles
{
    /// <summary>The targets of <c>/proc/self/fd</c>'s links: the paths of the files this process holds open.</summary>
    public static List<string> OfThisProcess() =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(fd =>
        {
            try
            {
                return fd.LinkTarget;
            }
            catch (IOException)
            {
                return null; // closed between the listing and the read
            }
        }).OfType<string>()];
}
