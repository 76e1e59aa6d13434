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

    /// <summary>Kills the process and everything it started (its process group) at once.</summary>
    void Kill();
}
