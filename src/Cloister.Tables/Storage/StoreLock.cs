using Microsoft.Win32.SafeHandles;

namespace Cloister.Tables.Storage;

/// <summary>
/// The lock an open store holds on its database file: an exclusive advisory one (<c>flock</c>, which .NET takes for
/// <see cref="FileShare.None"/>; SQLite's own locks are <c>fcntl</c> ones, which it does not touch), for as long as the
/// handle is held. A second store on the same folder — <c>cloister serve dynamodb</c> on a running stack's tables —
/// would serve from memory what the first one no longer holds, so it is refused; and whoever moves a store's files can
/// tell it is open (<see cref="Hosting.TableStoreFiles"/>). The lock goes with the process, however it ends.
/// </summary>
internal static class StoreLock
{
    /// <summary>
    /// The database file of <paramref name="path"/>, opened (<paramref name="mode"/>) and locked; an
    /// <see cref="IOException"/> saying so when another holder has it.
    /// </summary>
    public static SafeFileHandle Take(string path, FileMode mode)
    {
        try
        {
            return File.OpenHandle(path, mode, FileAccess.Read, FileShare.None);
        }
        catch (IOException exception) when (exception is not FileNotFoundException && File.Exists(path))
        {
            throw new IOException($"{path} is open in another process (a running stack's table service or cloister serve dynamodb); stop it first", exception);
        }
    }
}
