namespace Cloister.Network.Realization;

/// <summary>The exit code and output of a command the fabric ran.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
