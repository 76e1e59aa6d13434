namespace Cloister.Functions.Ssm;

/// <summary>
/// A Session Manager session StartSession admitted: its id (<c>{caller}-{17 hex digits}</c>, as AWS names them), the
/// node, the session document, who started it and why, and when it started and ended. Replaced whole.
/// </summary>
internal sealed record ManagerSession(
    string SessionId,
    string Target,
    string DocumentName,
    string Owner,
    string? Reason,
    long StartMilliseconds,
    long? EndMilliseconds);
