using System.CommandLine;
using System.Reflection;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister version</c>: the version of Cloister and of the .NET runtime it runs on.</summary>
internal static class VersionCommand
{
    /// <summary>The informational version of this build.</summary>
    public static string Version { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var command = new Command("version", "Print the version of Cloister and of the .NET runtime.");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine($"cloister {Version} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }
}
