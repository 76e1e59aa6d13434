namespace Cloister.Shared.Files;

/// <summary>A file replaced whole: a reader sees the old contents or the new, never a part, even after a crash.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> into a new temporary file beside it, created with
    /// <paramref name="mode"/> (else the process's default), flushed to disk, then renamed over it. The temporary file is
    /// made anew each time: one left by a process killed mid-write would keep its own mode (perhaps readable by all),
    /// which the file would then take over with the rename.
    /// </summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (mode is { } m)
        {
            options.UnixCreateMode = m;
        }

        using (var stream = new FileStream(temporary, options))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
