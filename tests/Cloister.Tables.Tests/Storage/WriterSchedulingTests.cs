using Cloister.Tables.Storage;

namespace Cloister.Tables.Tests.Storage;

public sealed class WriterSchedulingTests
{
    [Fact]
    public void RequestShortSlice_OnLinux_SetsTheCallingThreadsSliceOnly()
    {
        // Run on a thread of its own: the slice is per thread and must not leak into the test runner's threads.
        var granted = false;
        string? own = null;
        var before = Slice("/proc/thread-self/sched");
        var thread = new Thread(() =>
        {
            granted = WriterScheduling.RequestShortSlice();
            own = Slice("/proc/thread-self/sched");
        });
        thread.Start();
        thread.Join();

        // Per-thread slice requests for SCHED_OTHER came with Linux 6.12; an older kernel refuses or ignores them,
        // and the runner's own thread must be untouched either way.
        if (Environment.OSVersion.Version < new Version(6, 12))
        {
            Assert.Equal(before, Slice("/proc/thread-self/sched"));
            return;
        }

        Assert.NotNull(before);
        Assert.True(granted);
        Assert.Equal("100000", own);
        Assert.Equal(before, Slice("/proc/thread-self/sched"));
    }

    /// <summary>The thread's scheduler slice in nanoseconds, from the kernel's <c>se.slice</c> line (null where there is none).</summary>
    private static string? Slice(string path) => File.Exists(path)
        ? File.ReadLines(path).Where(line => line.StartsWith("se.slice", StringComparison.Ordinal)).Select(line => line.Split(':')[1].Trim()).FirstOrDefault()
        : null;
}
