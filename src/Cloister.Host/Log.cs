using Microsoft.Extensions.Logging;

namespace Cloister.Host;

/// <summary>The stack host's own log lines (standard error, <c>logs/host.log</c>).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Phase}: {Warning}")]
    public static partial void Warning(ILogger logger, string phase, string warning);
}
