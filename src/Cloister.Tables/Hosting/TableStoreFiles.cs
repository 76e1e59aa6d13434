using Cloister.Tables.Storage;

namespace Cloister.Tables.Hosting;

/// <summary>
/// The files a table store keeps in its <see cref="TablesServerOptions.DataDirectory"/>: one SQLite database,
/// <c>tables.db</c>, holding the tables, their items, on-demand backups and point-in-time history, with SQLite's files
/// beside it (<c>tables.db-wal</c>, <c>tables.db-shm</c>, a <c>tables.db-journal</c>). What moves a store moves these,
/// and only while no service has it open (an open store holds <c>tables.db</c> locked: <see cref="IsOpen(string)"/>).
/// </summary>
public static class TableStoreFiles
{
    /// <summary>The database's file name.</summary>
    public const string DatabaseFileName = TableStore.FileName;

    /// <summary>Whether <paramref name="directory"/> holds a store (its database file).</summary>
    public static bool Holds(string directory) => File.Exists(Path.Combine(directory, DatabaseFileName));

    /// <summary>Whether a table service (of this process or another) has the store of <paramref name="directory"/> open.</summary>
    public static bool IsOpen(string directory)
    {
        try
        {
            using var probe = StoreLock.Take(Path.Combine(directory, DatabaseFileName), FileMode.Open);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// Moves the store of <paramref name="from"/> into <paramref name="to"/> (created when missing), which must hold none;
    /// the names of the files moved. SQLite's files go first and the database last, each by a rename, so a move cut short
    /// (a crash) leaves the database where it was and the next move completes it: a log never ends up without its
    /// database. Throws <see cref="IOException"/> when a service has the store open or <paramref name="to"/> holds a store.
    /// </summary>
    public static IReadOnlyList<string> Move(string from, string to)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        if (Holds(to))
        {
            throw new IOException($"{to} already holds a table store");
        }

        var database = Path.Combine(from, DatabaseFileName);
        // Held while the files move: a service that starts meanwhile is refused rather than opening half a store.
        using var held = StoreLock.Take(database, FileMode.Open);
        Directory.CreateDirectory(to);
        var moved = new List<string>();
        foreach (var file in Directory.EnumerateFiles(from, DatabaseFileName + "-*").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            File.Move(file, Path.Combine(to, name));
            moved.Add(name);
        }

        File.Move(database, Path.Combine(to, DatabaseFileName));
        moved.Add(DatabaseFileName);
        return moved;
    }
}
