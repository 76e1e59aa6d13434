using Cloister.Tables.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Tests.Storage;

public sealed class CheckpointerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloister-checkpointer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CatchUpIfAsked_PassesNeverRun_WriterStillStartsTheLogOver()
    {
        // A machine with every core busy can keep the passes' thread from running for seconds while the writer
        // commits; only passes asked the writer to catch up, so the log grew with everything written (24 MiB and more
        // in the journal's test under a load average of 35). The writer now bounds the log on its own.
        var path = Path.Combine(_directory, "journal.db");
        using var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB NOT NULL);");
        using var databaseFile = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        using var checkpointer = new Checkpointer(path, databaseFile, NullLogger.Instance, passes: false);
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t(k, v) VALUES ($k, zeroblob(16000))";
        var key = insert.Parameters.Add("$k", SqliteType.Integer);
        long largest = 0;

        for (var commit = 0; commit < 2000; commit++)
        {
            key.Value = commit;
            insert.ExecuteNonQuery();
            checkpointer.Committed();
            checkpointer.CatchUpIfAsked(writer);
            largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
        }

        // 2,000 commits of 16 KB hold 31 MiB; StarvedCommits of them about 2.5 MiB.
        Assert.True(largest < 4L << 20, $"the log grew to {largest >> 20} MiB with the passes starved");
        Assert.Equal(0, checkpointer.Passes);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
