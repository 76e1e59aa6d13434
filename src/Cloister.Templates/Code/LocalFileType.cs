namespace Cloister.Templates.Code;

/// <summary>What a local path names, as <c>stat</c> reports it after following symbolic links.</summary>
public enum LocalFileType
{
    /// <summary>Nothing: no such file, a dangling link, or a path through something that is not a folder.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO (named pipe): opening it waits for a writer.</summary>
    NamedPipe,

    /// <summary>A character device (<c>/dev/null</c>, a terminal): reading it may never end.</summary>
    CharacterDevice,

    /// <summary>A block device (a disk).</summary>
    BlockDevice,

    /// <summary>A Unix domain socket, which cannot be opened as a file.</summary>
    Socket,

    /// <summary>A path <c>stat</c> cannot look at (no permission on a folder on the way, a loop of links).</summary>
    Inaccessible,
}
