using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cloister.Functions.Events;

/// <summary>
/// Lambda's queue of Event invocations, made durable: a SQLite database (<c>functions/events.db</c> in the state folder)
/// in WAL mode with <c>synchronous=FULL</c>, holding every event from before its 202 until its delivery completes (run,
/// or dropped after its retries or its maximum age). One writer thread takes every change waiting and commits them in
/// one transaction (one fsync): concurrent callers share it (group commit). A thread of its own, not a pool thread,
/// because it blocks in fsync. The service reads the events still pending once, at its start (<see cref="TryOpen"/>).
/// </summary>
internal sealed class EventStore : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Thread _writer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<Change> _queue = [];
    private bool _closed;
    private bool _disposed;

    private EventStore(SqliteConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Cloister.Functions event store" };
        _writer.Start();
    }

    /// <summary>Where the store of a state folder lies.</summary>
    public static string PathIn(string functionsFolder) => Path.Combine(functionsFolder, "events.db");

    /// <summary>
    /// Opens (or creates) the store and reads the events still pending, in the order they were accepted; null, logged,
    /// when the file cannot be opened: the service then refuses Event invocations instead of acknowledging what it
    /// could not keep.
    /// </summary>
    public static EventStore? TryOpen(string path, ILogger logger, out List<QueuedEvent> pending)
    {
        pending = [];
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=FULL;");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS events(
                    request_id TEXT PRIMARY KEY, function TEXT NOT NULL, qualifier TEXT, payload BLOB NOT NULL,
                    cognito_identity TEXT, trace_header TEXT, invoked_arn TEXT, accepted_ms INTEGER NOT NULL, retries INTEGER NOT NULL);
                """);
            pending = ReadPending(connection);

            // The writer thread starts here and owns the connection from now on: nothing above may still be using it
            // (a command disposed after this point would unregister itself from the connection concurrently with the
            // writer's own commands, and the connection's list of them is not thread-safe).
            return new EventStore(connection, logger);
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            FunctionsLog.EventStoreUnavailable(logger, path, exception);
            pending = [];
            return null;
        }
    }

    /// <summary>Keeps an accepted event; true once it is on disk, false when it could not be written or the store is closing.</summary>
    public Task<bool> AddAsync(QueuedEvent queued)
    {
        var durable = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        return Enqueue(new Change(ChangeKind.Add, queued.RequestId, queued, 0, durable)) ? durable.Task : Task.FromResult(false);
    }

    /// <summary>Records the function-error retries an event has used, so a restart does not give it more.</summary>
    public void Retried(string requestId, int retries) => Enqueue(new Change(ChangeKind.Retried, requestId, null, retries, null));

    /// <summary>Forgets an event whose delivery completed. Not waited for: lost in a crash, the event runs again, as Lambda's at-least-once delivery allows.</summary>
    public void Remove(string requestId) => Enqueue(new Change(ChangeKind.Remove, requestId, null, 0, null));

    /// <summary>Writes what is waiting, then closes the file; changes after this are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            // Closed already when the writer failed: its connection still needs closing.
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _closed = true;
            Monitor.Pulse(_gate);
        }

        await _stopped.Task.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private bool Enqueue(Change change)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _queue.Add(change);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_gate);
            }

            return true;
        }
    }

    private void WriteLoop()
    {
        try
        {
            WriteChanges();
        }
#pragma warning disable CA1031 // On its own thread an escaping exception would end the process; it stops acknowledgements instead.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            FunctionsLog.EventStoreWriteFailed(_logger, 0, exception);
            List<Change> refused;
            lock (_gate)
            {
                _closed = true;
                (refused, _queue) = (_queue, []);
            }

            foreach (var change in refused)
            {
                change.Durable?.TrySetResult(false);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void WriteChanges()
    {
        using var insert = Prepare(
            "INSERT OR REPLACE INTO events(request_id, function, qualifier, payload, cognito_identity, trace_header, invoked_arn, accepted_ms, retries) VALUES($id, $f, $q, $p, $c, $t, $a, $m, $r)",
            "$id", "$f", "$q", "$p", "$c", "$t", "$a", "$m", "$r");
        using var retried = Prepare("UPDATE events SET retries = $r WHERE request_id = $id", "$r", "$id");
        using var remove = Prepare("DELETE FROM events WHERE request_id = $id", "$id");
        using var begin = Prepare("BEGIN");
        using var commit = Prepare("COMMIT");
        using var rollback = Prepare("ROLLBACK");
        var changes = new List<Change>();
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0 && !_closed)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                // Everything waiting goes in this commit: the callers who arrived while the last one was on disk share its fsync.
                (changes, _queue) = (_queue, changes);
            }

            var written = false;
            try
            {
                begin.ExecuteNonQuery();
                foreach (var change in changes)
                {
                    switch (change.Kind)
                    {
                        case ChangeKind.Add:
                            var queued = change.Event!;
                            Run(insert, queued.RequestId, queued.FunctionName, queued.Qualifier, queued.Payload, queued.Context.CognitoIdentity,
                                queued.Context.TraceHeader, queued.Context.InvokedFunctionArn, queued.AcceptedAt.ToUnixTimeMilliseconds(), queued.Retries);
                            break;
                        case ChangeKind.Retried:
                            Run(retried, change.Retries, change.RequestId);
                            break;
                        default:
                            Run(remove, change.RequestId);
                            break;
                    }
                }

                commit.ExecuteNonQuery();
                written = true;
            }
#pragma warning disable CA1031 // Whatever stops the write, its callers are answered (an error, not a 202) and the writer goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                FunctionsLog.EventStoreWriteFailed(_logger, changes.Count, exception);
                try
                {
                    if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                    {
                        rollback.ExecuteNonQuery();
                    }
                }
                catch (SqliteException)
                {
                    // The connection is beyond use; the next commit fails in turn and is answered the same way.
                }
            }

            foreach (var change in changes)
            {
                change.Durable?.TrySetResult(written);
            }

            changes.Clear();
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private static List<QueuedEvent> ReadPending(SqliteConnection connection)
    {
        var pending = new List<QueuedEvent>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, function, qualifier, payload, cognito_identity, trace_header, invoked_arn, accepted_ms, retries FROM events ORDER BY rowid";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var context = new InvocationContext(null, Text(reader, 4)) { TraceHeader = Text(reader, 5), InvokedFunctionArn = Text(reader, 6) };
            pending.Add(new QueuedEvent(
                reader.GetString(1), Text(reader, 2), (byte[])reader[3], reader.GetString(0), context,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)), reader.GetInt32(8)));
        }

        return pending;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private enum ChangeKind
    {
        Add,
        Retried,
        Remove,
    }

    /// <summary>One change for the writer; <paramref name="Durable"/> is told whether it reached the disk.</summary>
    private readonly record struct Change(ChangeKind Kind, string RequestId, QueuedEvent? Event, int Retries, TaskCompletionSource<bool>? Durable);
}
