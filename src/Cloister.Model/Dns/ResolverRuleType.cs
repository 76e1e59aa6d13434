namespace Cloister.Model.Dns;

/// <summary>What a Resolver rule does with matching queries.</summary>
public enum ResolverRuleType
{
    /// <summary>Send them to the target IPs through an outbound endpoint.</summary>
    Forward,
    /// <summary>Answer them with the Resolver's own view (overrides a FORWARD rule for a subdomain).</summary>
    System,
    /// <summary>AWS's own recursive rule for public names.</summary>
    Recursive,
}
