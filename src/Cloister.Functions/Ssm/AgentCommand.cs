using System.Collections.Immutable;

namespace Cloister.Functions.Ssm;

/// <summary>
/// A Run Command message an agent fetched: an invocation to run (the <c>AWS-RunShellScript</c> lines, where, and for
/// how long at most), or, when <paramref name="Cancel"/> is set, CancelCommand's order to kill the running invocation
/// of <paramref name="CommandId"/> (no lines then).
/// </summary>
public sealed record AgentCommand(string MessageId, string CommandId, ImmutableArray<string> Commands, string? WorkingDirectory, int ExecutionTimeoutSeconds, bool Cancel = false);
