namespace Cloister.Host.Ssm;

/// <summary>How often the agents ping Systems Manager, retry when they cannot, and ask for Run Command invocations.</summary>
/// <param name="PingInterval">Between two UpdateInstanceInformation calls once registered.</param>
/// <param name="RetryInterval">Between two attempts while the agent cannot register.</param>
/// <param name="PollInterval">Between two GetMessages calls while registered.</param>
internal sealed record SsmAgentTimings(TimeSpan PingInterval, TimeSpan RetryInterval, TimeSpan PollInterval)
{
    /// <summary>A minute between pings, 15 seconds between failed attempts, a second between polls.</summary>
    public static SsmAgentTimings Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));
}
