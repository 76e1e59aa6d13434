using System.Globalization;
using System.Reflection;

namespace Cloister.Functions.DotnetHost;

/// <summary>Stands in for <c>Amazon.Lambda.Core.ILambdaLogger</c>: every <c>Log*</c> call writes a line to standard output.</summary>
internal class LambdaLoggerProxy : DispatchProxy
{
    internal string RequestId { get; set; } = string.Empty;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is null || !targetMethod.Name.StartsWith("Log", StringComparison.Ordinal))
        {
            return null;
        }

        var message = args?.OfType<string>().FirstOrDefault() ?? string.Empty;
        var level = targetMethod.Name switch
        {
            "Log" or "LogLine" => null,
            var name => name[3..].ToLowerInvariant() switch
            {
                "information" => "info",
                "warning" => "warn",
                "critical" => "crit",
                var other => other,
            },
        };
        Console.Out.WriteLine(level is null
            ? message
            : string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}\t{RequestId}\t{level}\t{message.ReplaceLineEndings("\r")}"));
        return null;
    }
}
