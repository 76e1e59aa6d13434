namespace Cloister.Functions.Ssm;

/// <summary>How an <see cref="AgentCommand"/> ended on its instance: <c>Success</c>, <c>Failed</c>, <c>TimedOut</c> or <c>Cancelled</c>, the exit code and the output.</summary>
public sealed record AgentResult(string Status, int ResponseCode, string StandardOutput, string StandardError);
