using System.CommandLine;
using Cloister.Host;
using Cloister.Model;
using Microsoft.Extensions.Logging;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister __host</c>: the stack host process that <c>up</c> starts inside the sandbox; not for people.</summary>
internal static class StackHostCommand
{
    /// <summary>Creates the hidden verb.</summary>
    public static Command Create()
    {
        var verb = new Command("__host", "Run the stack host (started by cloister up).") { Hidden = true };
        verb.SetAction(async (parse, _) =>
        {
            using var loggers = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(options => options.SingleLine = true)
                .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace) // standard output carries the progress events; standard error is logs/host.log
                .AddFilter("Microsoft", LogLevel.Error));
            return await HostRunner.RunAsync(StatePaths.FromEnvironment(), parse.InvocationConfiguration.Output, loggers).ConfigureAwait(false);
        });
        return verb;
    }
}
