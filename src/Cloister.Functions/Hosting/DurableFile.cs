using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cloister.Functions.Hosting;

/// <summary>
/// Changes to the files the sandbox's services keep (CloudWatch Logs' events, Parameter Store's parameters) that are
/// on the disk when they return: an append is fsynced, and a
/// replaced or deleted file's directory is fsynced too, so a crash can neither lose what was acknowledged nor bring
/// back what was deleted.
/// </summary>
internal static partial class DurableFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>Appends <paramref name="text"/> to <paramref name="path"/> (created if missing), on the disk before it returns.</summary>
    public static void Append(string path, string text) => Append(path, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Appends <paramref name="bytes"/> to <paramref name="path"/> (created if missing), on the disk before it returns;
    /// a file it creates has its directory fsynced too, so the file itself survives a crash.
    /// </summary>
    public static void Append(string path, ReadOnlySpan<byte> bytes)
    {
        var created = !File.Exists(path);
        using (var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        if (created)
        {
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/>: written beside it, fsynced, renamed over it and
    /// the directory fsynced. A reader that has the old file open goes on reading the old content.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Deletes <paramref name="path"/> if it is there, for good (the directory fsynced).</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            SyncDirectory(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>
    /// The JSON records of an append-only file of one record a line, in order: a line that is not one (the last line
    /// torn by a crash, never acknowledged) is skipped; none when the file does not exist.
    /// </summary>
    public static IEnumerable<T> ReadRecords<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            T? record;
            try
            {
                record = JsonSerializer.Deserialize(line, type);
            }
            catch (JsonException)
            {
                continue;
            }

            if (record is not null)
            {
                yield return record;
            }
        }
    }

    private static void SyncDirectory(string directory)
    {
        var descriptor = Open(directory, ReadOnly | CloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open {directory} to flush it.", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Cannot flush {directory}.", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
