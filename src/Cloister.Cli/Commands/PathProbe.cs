namespace Cloister.Cli.Commands;

/// <summary>What a source host finds when it looks for a target: the address the name resolves to there, and whether a network path reaches it.</summary>
/// <param name="Address">The target's address as the host resolves it.</param>
/// <param name="Reaches">Whether the path analysis finds a path.</param>
internal sealed record PathProbe(string Address, bool Reaches);
