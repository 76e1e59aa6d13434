namespace Cloister.Model.Dns;

/// <summary>Puts a Resolver rule in force for one VPC.</summary>
/// <param name="Id">The <c>rslvr-rrassoc-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="ResolverRuleId">The rule.</param>
/// <param name="VpcId">The VPC.</param>
public sealed record ResolverRuleAssociation(string Id, string LogicalId, string ResolverRuleId, string VpcId) : IResource;
