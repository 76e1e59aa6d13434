using Cloister.Functions.Hosting;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>Where the sandbox's CloudWatch Logs API listens, which log groups it serves, where it keeps what callers write, and whom it knows.</summary>
public sealed record LogsOptions : HostedServerOptions
{
    /// <summary>The log groups served and the files of their events.</summary>
    public IReadOnlyList<LogGroupSource> Groups { get; init; } = [];

    /// <summary>
    /// Where the groups, streams and events callers create are kept (CreateLogGroup, CreateLogStream, PutLogEvents);
    /// unset: those operations are not served.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// How often events older than their group's retention are removed from the events files under
    /// <see cref="DataDirectory"/> (also once at start; they are hidden from every read at once either way), on
    /// <see cref="HostedServerOptions.TimeProvider"/>'s clock.
    /// </summary>
    public TimeSpan RetentionSweepInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Who the callers are, where their connections came from and the <c>logs</c> endpoints' policies (the sandbox's
    /// <c>CallerDirectory.Find</c>, <c>Sandbox.OriginOf</c>). Unset: no key is known, so every signed call is refused.
    /// </summary>
    public LogsAccess Access { get; init; } = new();
}
