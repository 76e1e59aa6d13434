namespace Cloister.Functions.Ssm;

/// <summary>The role session an agent signs with: what the instance's metadata service hands every process on it.</summary>
public sealed record AgentCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, DateTimeOffset Expiration);
