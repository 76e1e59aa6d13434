namespace Cloister.Model.Dns;

/// <summary>A Route 53 alias: the record answers with the addresses of another name.</summary>
/// <param name="DnsName">The name aliased to (an endpoint's or load balancer's DNS name).</param>
/// <param name="HostedZoneId">The target's hosted zone id.</param>
/// <param name="EvaluateTargetHealth">Whether the target's health decides the answer.</param>
public sealed record AliasTarget(string DnsName, string HostedZoneId, bool EvaluateTargetHealth = false);
