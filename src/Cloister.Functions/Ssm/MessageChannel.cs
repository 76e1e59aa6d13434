namespace Cloister.Functions.Ssm;

/// <summary>Which service an agent takes its Run Command messages through (docs/ssm.md).</summary>
public enum MessageChannel
{
    /// <summary>ec2messages, the Message Delivery Service (<c>ec2messages.{region}</c>): the fallback without a control channel.</summary>
    Delivery,

    /// <summary>ssmmessages, over the agent's control channel (<c>ssmmessages.{region}</c>): what current agents use while they have one.</summary>
    ControlChannel,
}
