using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>A VPC link (<c>AWS::ApiGateway::VpcLink</c>): how HTTP and HTTP_PROXY integrations with <c>connectionType VPC_LINK</c> reach a network load balancer.</summary>
/// <param name="Id">Its id (<c>connectionId</c> of the integrations using it).</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="TargetArns">The network load balancers' ARNs (API Gateway takes exactly one).</param>
public sealed record VpcLink(string Id, string LogicalId, string Name, ImmutableArray<string> TargetArns) : IResource;
