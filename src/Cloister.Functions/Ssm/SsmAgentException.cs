namespace Cloister.Functions.Ssm;

/// <summary>
/// A call of the agent that Systems Manager refused (its error type and message) or that never reached it (no type;
/// the network's reason): what amazon-ssm-agent logs as "error when calling AWS APIs".
/// </summary>
public sealed class SsmAgentException(string? type, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Systems Manager's error type, such as <c>AccessDeniedException</c>; null when the call did not reach it.</summary>
    public string? Type { get; } = type;
}
