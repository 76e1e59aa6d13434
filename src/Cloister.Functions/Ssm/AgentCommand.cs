using System.Collections.Immutable;

namespace Cloister.Functions.Ssm;

/// <summary>A Run Command invocation an agent fetched: the <c>AWS-RunShellScript</c> lines to run, where, and for how long at most.</summary>
public sealed record AgentCommand(string MessageId, string CommandId, ImmutableArray<string> Commands, string? WorkingDirectory, int ExecutionTimeoutSeconds);
