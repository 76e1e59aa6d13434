using System.Runtime.InteropServices;

namespace Cloister.Templates.Code;

/// <summary>
/// Looks at a local path without opening it: opening a named pipe waits for a writer and reading a device may never
/// end, so a template naming one must be refused before anything reads it.
/// </summary>
public static partial class LocalFiles
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const int ENoSys = 38;
    private const int EPerm = 1;

    /// <summary>The type of what <paramref name="path"/> names, following symbolic links to their target.</summary>
    public static LocalFileType TypeOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            return LocalFileType.Missing;
        }

        if (Statx(AtFdCwd, path, 0, StatxType, out var status) == 0)
        {
            return (status.Mode & 0xF000) switch
            {
                0x8000 => LocalFileType.File,
                0x4000 => LocalFileType.Directory,
                0x1000 => LocalFileType.NamedPipe,
                0x2000 => LocalFileType.CharacterDevice,
                0x6000 => LocalFileType.BlockDevice,
                0xC000 => LocalFileType.Socket,
                _ => LocalFileType.Inaccessible,
            };
        }

        return Marshal.GetLastPInvokeError() switch
        {
            ENoEnt or ENotDir => LocalFileType.Missing,

            // A kernel or seccomp filter without statx: .NET's own stat tells files from folders, though not devices.
            ENoSys or EPerm => Directory.Exists(path) ? LocalFileType.Directory : File.Exists(path) ? LocalFileType.File : LocalFileType.Missing,
            _ => LocalFileType.Inaccessible,
        };
    }

    /// <summary>
    /// Why a property cannot read <paramref name="path"/> of type <paramref name="type"/>, or null when it can: a
    /// regular file, or a folder when <paramref name="folderAllowed"/>.
    /// </summary>
    public static string? Refusal(string path, LocalFileType type, bool folderAllowed) => type switch
    {
        LocalFileType.File => null,
        LocalFileType.Directory when folderAllowed => null,
        LocalFileType.Directory => $"'{path}' is a directory, not a file.",
        LocalFileType.Missing => $"'{path}' does not exist.",
        LocalFileType.Inaccessible => $"'{path}' cannot be looked at: a folder on its way is not searchable, or its links loop.",
        _ => $"'{path}' is {Name(type)}, not {(folderAllowed ? "a file or directory" : "a file")}.",
    };

    private static string Name(LocalFileType type) => type switch
    {
        LocalFileType.NamedPipe => "a named pipe",
        LocalFileType.CharacterDevice => "a character device",
        LocalFileType.BlockDevice => "a block device",
        _ => "a socket",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary><c>struct statx</c>: its layout is the same on every architecture; only <c>stx_mode</c> is read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;
    }
}
