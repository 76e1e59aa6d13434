namespace Cloister.Cli.Commands;

/// <summary>One line of the "Try next" block: a command that runs as printed, and why it is there.</summary>
/// <param name="Command">The command line, such as <c>./cloister exec --from ClientInstance -- dig +short api.example.com</c>.</param>
/// <param name="Note">Shown after it in grey; null for none.</param>
internal sealed record TryNextHint(string Command, string? Note = null);
