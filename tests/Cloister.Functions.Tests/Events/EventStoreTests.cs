using Cloister.Functions.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Functions.Tests.Events;

/// <summary>The event store by itself, over real SQLite files in a temporary folder.</summary>
public sealed class EventStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cloister-event-store-");

    public void Dispose() => _root.Delete(recursive: true);

    /// <summary>
    /// The writer thread owns the connection from the moment it starts: <see cref="EventStore.TryOpen"/> must be done
    /// with it by then. It was not (its read of the pending events was disposed after the writer had started and
    /// was preparing its own statements), and about one store in a thousand then failed to close with a
    /// NullReferenceException from SqliteConnection.Close, whose list of commands is not thread-safe. Each store here
    /// opens, takes one event and closes, several at once, so that the two threads' first moments overlap many times.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_ManyStoresOpenedAndClosedAtOnce_EveryOneClosesAndKeptItsEvent()
    {
        const int Workers = 4;
        const int StoresEach = 300;

        var kept = await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var pendingAtReopen = 0;
            for (var i = 0; i < StoresEach; i++)
            {
                var path = EventStore.PathIn(Path.Combine(_root.FullName, $"{worker}-{i}"));
                var store = EventStore.TryOpen(path, NullLogger.Instance, out _);
                Assert.NotNull(store);
                Assert.True(await store.AddAsync(Event($"{worker}-{i}")));
                await store.DisposeAsync();

                var reopened = EventStore.TryOpen(path, NullLogger.Instance, out var pending);
                Assert.NotNull(reopened);
                await reopened.DisposeAsync();
                pendingAtReopen += pending.Count(queued => queued.RequestId == $"{worker}-{i}");
            }

            return pendingAtReopen;
        })));

        Assert.All(kept, count => Assert.Equal(StoresEach, count));
    }

    private static QueuedEvent Event(string requestId) =>
        new("f", null, "{}"u8.ToArray(), requestId, new InvocationContext(), DateTimeOffset.UnixEpoch);
}
