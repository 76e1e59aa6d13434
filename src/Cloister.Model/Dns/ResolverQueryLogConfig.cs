using System.Collections.Immutable;

namespace Cloister.Model.Dns;

/// <summary>A Resolver query logging configuration and the VPCs whose queries it logs.</summary>
/// <param name="Id">The <c>rslvr-qlc-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="DestinationArn">Where logs go (a log group, bucket or stream ARN); Cloister writes JSON lines under its state folder.</param>
/// <param name="VpcIds">The VPCs associated with it.</param>
public sealed record ResolverQueryLogConfig(string Id, string LogicalId, string Name, string DestinationArn, ImmutableArray<string> VpcIds) : IResource;
