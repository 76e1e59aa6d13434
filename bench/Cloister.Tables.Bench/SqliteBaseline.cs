using Microsoft.Data.Sqlite;

namespace Cloister.Tables.Bench;

/// <summary>
/// The baseline: raw SQLite through Microsoft.Data.Sqlite with the service's durability (WAL,
/// synchronous=FULL), one connection per worker, one INSERT per transaction (one fsync each), then
/// point SELECTs by primary key.
/// </summary>
public static class SqliteBaseline
{
    public static async Task<IReadOnlyList<LoadResult>> RunAsync(string path, int workers, TimeSpan duration)
    {
        using (var setup = Open(path))
        {
            Execute(setup, "CREATE TABLE items(pk TEXT PRIMARY KEY, item BLOB NOT NULL) WITHOUT ROWID");
        }

        var connections = Enumerable.Range(0, workers).Select(_ => Open(path)).ToArray();
        try
        {
            var blob = new byte[160];
            var insert = await LoadDriver.RunAsync("baseline: raw SQLite INSERT, one transaction each (WAL, synchronous=FULL)", workers, duration, (worker, n) =>
            {
                using var command = connections[worker].CreateCommand();
                command.CommandText = "INSERT OR REPLACE INTO items(pk, item) VALUES($k, $v)";
                command.Parameters.AddWithValue("$k", $"k-{worker}-{n}");
                command.Parameters.AddWithValue("$v", blob);
                command.ExecuteNonQuery();
                return Task.CompletedTask;
            });
            var inserted = Math.Max(1, insert.Operations / workers);
            var select = await LoadDriver.RunAsync("baseline: raw SQLite SELECT by key", workers, duration, (worker, n) =>
            {
                using var command = connections[worker].CreateCommand();
                command.CommandText = "SELECT item FROM items WHERE pk = $k";
                command.Parameters.AddWithValue("$k", $"k-{worker}-{n % inserted}");
                command.ExecuteScalar();
                return Task.CompletedTask;
            });
            return [insert, select];
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }

            SqliteConnection.ClearAllPools();
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=false;Default Timeout=30");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
