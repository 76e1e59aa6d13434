using Microsoft.Extensions.Logging;

namespace Cloister.Host;

/// <summary>The stack host's own log lines (standard error, <c>logs/host.log</c>).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Phase}: {Warning}")]
    public static partial void Warning(ILogger logger, string phase, string warning);

    /// <summary>Why the stacks did not come up, one problem a line: the CLI that showed it may be gone.</summary>
    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Phase}: {Problem}")]
    public static partial void Failed(ILogger logger, string phase, string problem);
}
