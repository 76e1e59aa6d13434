using Cloister.Functions.Hosting;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>Where the sandbox's CloudWatch Logs API listens, which log groups it serves and whom it knows.</summary>
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
    /// Who the callers are, where their connections came from and the <c>logs</c> endpoints' policies (the sandbox's
    /// <c>CallerDirectory.Find</c>, <c>Sandbox.OriginOf</c>). Unset: no key is known, so every signed call is refused.
    /// </summary>
    public LogsAccess Access { get; init; } = new();
}
