using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// Lets one <c>cloister up</c> at a time bring stacks up in a state folder: an exclusive lock on <c>up.lock</c> (.NET
/// takes <c>flock</c> for <see cref="FileShare.None"/>), held from the check that nothing runs until the host is ready.
/// The kernel drops the lock with the process, so a killed <c>up</c> leaves no stale lock; the file is removed on release.
/// </summary>
internal sealed class UpLock : IDisposable
{
    private readonly FileStream _file;
    private bool _released;

    private UpLock(FileStream file) => _file = file;

    /// <summary>The lock file of <paramref name="state"/>.</summary>
    public static string PathOf(StatePaths state) => Path.Combine(state.Root, "up.lock");

    /// <summary>Takes the lock; null when another <c>up</c> holds it.</summary>
    public static UpLock? TryTake(StatePaths state)
    {
        Directory.CreateDirectory(state.Root);
        try
        {
            return new UpLock(new FileStream(PathOf(state), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Removes the file while still holding the lock, then releases it.</summary>
    public void Dispose()
    {
        // Once released, the file may be another up's: delete it only while this lock still holds it.
        if (_released)
        {
            return;
        }

        _released = true;
        File.Delete(_file.Name);
        _file.Dispose();
    }
}
