using Cloister.Tables.Storage;
using Microsoft.Data.Sqlite;

namespace Cloister.Tables.Tests.Durability;

/// <summary>
/// Holds SQLite's write lock on a service's journal from another connection: the journal's writer retries while it is busy,
/// so every change applied in memory meanwhile stays not durable until <see cref="Release"/>.
/// </summary>
internal sealed class JournalBlocker : IDisposable
{
    /// <summary>How long an answer is given to show up while the journal cannot commit: without the waits they came in milliseconds.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private readonly SqliteConnection _connection;

    public JournalBlocker(string dataDirectory)
    {
        _connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, TableStore.FileName)};Pooling=false");
        _connection.Open();
        Execute("BEGIN IMMEDIATE");
    }

    /// <summary>Lets the journal commit again.</summary>
    public void Release() => Execute("ROLLBACK");

    public void Dispose() => _connection.Dispose();

    /// <summary>Waits until <paramref name="applied"/> holds under the store's lock (the blocked commit is then the one the test holds back).</summary>
    public static async Task AppliedAsync(TableStore store, Func<TableStore, bool> applied, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            lock (store.Gate)
            {
                if (applied(store))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, what + " never applied");
            await Task.Delay(5);
        }
    }

    /// <summary>The answers that came before <see cref="Window"/> passed, named, for an assertion that there are none.</summary>
    public static async Task<List<string>> EarlyAnswersAsync(IEnumerable<KeyValuePair<string, Task<ApiResponse>>> answers)
    {
        var all = answers.ToList();
        await Task.WhenAny(Task.WhenAll(all.Select(pair => pair.Value)), Task.Delay(Window));
        return [.. all.Where(answer => answer.Value.IsCompleted).Select(answer => $"{answer.Key}: {answer.Value.Result}")];
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
