using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using SQLitePCL;

namespace Cloister.Tables.Storage;

/// <summary>
/// Copies the journal's write-ahead log into the database file on a thread and connection of its own: SQLite's
/// PASSIVE checkpoint, which never blocks the writer. Left to SQLite, the checkpoint runs inside the commit that
/// takes the log past a thousand pages, on the one writer every durable request waits for: under the claims bench's
/// load that was every 1–2 s, about 900 pages read from the log and written to the database file, then an fsync of
/// the file (7.3 ms on this machine's disk), and every request committing meanwhile waited with it. SQLite starts the log over only when every frame is
/// copied, which a background pass never achieves while the writer keeps committing, so after a pass that leaves
/// the log above <see cref="RestartFrames"/> the writer is asked to copy the few frames left itself, between two
/// commits (<see cref="CatchUpIfAsked"/>).
/// A PASSIVE pass that leaves frames behind writes the database file but does not fsync it: SQLite syncs the file
/// only in the checkpoint that copies the last frame, which is the writer's catch-up. That fsync then carried every
/// page the passes had written since the last one, 12–17 ms every 2 s under the claims bench, and every durable
/// request waited for it. So each pass that copied frames ends with an fsync of the database file here, through a
/// descriptor of the journal's (<c>databaseFile</c>), and the writer's own fsync carries only the frames of its catch-up.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>How often a pass runs while there are new commits.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>How soon the next pass runs after one that found the log long (writes are coming in fast).</summary>
    public static readonly TimeSpan BusyInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Commits after which a pass runs without waiting for <see cref="Interval"/> (about a thousand pages at the claims API's write size).</summary>
    public const int PassCommits = 64;

    /// <summary>Log size (pages) from which the writer catches up, so SQLite can start the log over (8 MiB at 4 KiB pages).</summary>
    public const int RestartFrames = 2000;

    /// <summary>
    /// Commits since the last pass began after which the writer catches up without being asked: the pass's thread
    /// has not run (a machine with every core busy), and nothing else bounds the log. Twice <see cref="PassCommits"/>,
    /// which a running pass thread always begins before.
    /// </summary>
    public const int StarvedCommits = 2 * PassCommits;

    private readonly SqliteConnection _connection;
    private readonly SafeFileHandle _databaseFile;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private long _commits;
    private long _copied;
    private long _passes;
    private long _databaseSyncs;
    private int _syncedFrames;
    private int _catchUp;
    private bool _stopping;

    /// <param name="path">The journal's database.</param>
    /// <param name="databaseFile">A descriptor of the same file, which the journal closes after its SQLite connections
    /// (closing any descriptor of a file drops the POSIX locks the process holds on it, SQLite's included).</param>
    /// <param name="logger">Where a failed pass is reported.</param>
    /// <param name="passes">Whether the background passes run; off only in tests of the writer's own bound.</param>
    public Checkpointer(string path, SafeFileHandle databaseFile, ILogger logger, bool passes = true)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using (var command = _connection.CreateCommand())
        {
            // A new connection learns the database is in WAL mode only when it first reads it; until then a
            // checkpoint on it does nothing.
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }

        _databaseFile = databaseFile;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "Cloister.Tables checkpoint" };
        if (passes)
        {
            _thread.Start();
        }
    }

    /// <summary>Passes run so far.</summary>
    public long Passes => Volatile.Read(ref _passes);

    /// <summary>Fsyncs of the database file after passes that copied frames.</summary>
    public long DatabaseSyncs => Volatile.Read(ref _databaseSyncs);

    /// <summary>Called by the writer after each commit: there is something to copy; after <see cref="PassCommits"/> of them, now.</summary>
    public void Committed()
    {
        var waiting = Interlocked.Increment(ref _commits) - Volatile.Read(ref _copied);
        if (waiting == PassCommits)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
        else if (waiting % StarvedCommits == 0)
        {
            // No pass has begun since the pulse: the writer copies the log itself at its next catch-up, and again
            // every StarvedCommits commits while the passes stay starved.
            Volatile.Write(ref _catchUp, 1);
        }
    }

    /// <summary>
    /// The writer, between two transactions: when the last pass left the log long, it copies what that pass did not,
    /// on its own connection (no commit can land meanwhile), after which SQLite starts the log over at the next
    /// transaction. Busy (a pass is running) is fine: the next pass asks again.
    /// </summary>
    public void CatchUpIfAsked(SqliteConnection writer)
    {
        if (Volatile.Read(ref _catchUp) != 0 && Interlocked.Exchange(ref _catchUp, 0) != 0)
        {
            Checkpoint(writer);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _connection.Dispose();
    }

    private void Run()
    {
        var wait = Interval;
        while (true)
        {
            lock (_gate)
            {
                if (!_stopping && Volatile.Read(ref _commits) - _copied < PassCommits)
                {
                    Monitor.Wait(_gate, wait);
                }

                if (_stopping)
                {
                    return;
                }
            }

            var commits = Volatile.Read(ref _commits);
            if (commits == _copied)
            {
                continue;
            }

            Volatile.Write(ref _copied, commits);
            if (Checkpoint(_connection) is { } pass)
            {
                Interlocked.Increment(ref _passes);
                if (pass.CopiedFrames != _syncedFrames)
                {
                    SyncDatabaseFile(pass.CopiedFrames);
                }

                var longLog = pass.LogFrames >= RestartFrames;
                if (longLog)
                {
                    Volatile.Write(ref _catchUp, 1);
                }

                wait = longLog ? BusyInterval : Interval;
            }
        }
    }

    /// <summary>
    /// Flushes the database file's pages the passes wrote. A failure loses nothing: SQLite still syncs the file before
    /// it starts the log over, and the next pass tries again.
    /// </summary>
    private void SyncDatabaseFile(int copiedFrames)
    {
        try
        {
            RandomAccess.FlushToDisk(_databaseFile);
            _syncedFrames = copiedFrames;
            Interlocked.Increment(ref _databaseSyncs);
        }
        catch (IOException exception)
        {
            Log.CheckpointFailed(_logger, exception);
        }
    }

    /// <summary>
    /// A PASSIVE checkpoint on <paramref name="connection"/>: the log's size and how many of its frames are in the
    /// database file (both in pages), or null when it failed (logged).
    /// </summary>
    private Pass? Checkpoint(SqliteConnection connection)
    {
        var result = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var logFrames, out var copiedFrames);
        if (result is raw.SQLITE_OK or raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            return new Pass(logFrames, copiedFrames);
        }

        // A failed checkpoint loses nothing (the log still holds every commit); the next one tries again.
        Log.CheckpointFailed(_logger, new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result));
        return null;
    }

    private readonly record struct Pass(int LogFrames, int CopiedFrames);
}
