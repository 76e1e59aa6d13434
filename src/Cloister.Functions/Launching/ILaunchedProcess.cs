namespace Cloister.Functions.Launching;

/// <summary>A started process: its id, its output streams, its exit.</summary>
public interface ILaunchedProcess : IAsyncDisposable
{
    /// <summary>The process id, as seen from the host.</summary>
    int Id { get; }

    /// <summary>Standard output.</summary>
    Stream StandardOutput { get; }

    /// <summary>Standard error.</summary>
    Stream StandardError { get; }

    /// <summary>
    /// Completes with the exit status when the process exits: the exit code, or -signal when killed by one, or
    /// <see cref="int.MinValue"/> when the status could not be learned.
    /// </summary>
    Task<int> Exited { get; }

    /// <summary>
    /// Whether the kernel's OOM killer killed a process of the environment for going past its memory limit (the
    /// function's <c>MemorySize</c>); false where memory is not limited.
    /// </summary>
    bool OutOfMemory => false;

    /// <summary>
    /// The environment's peak memory in MB, all its processes together (its cgroup's); null where it is not counted
    /// (the runtime process's own peak is read instead).
    /// </summary>
    int? PeakMemoryMb => null;

    /// <summary>Kills the process and everything it started (its process group) at once.</summary>
    void Kill();
}
