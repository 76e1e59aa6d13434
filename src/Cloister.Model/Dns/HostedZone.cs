using System.Collections.Immutable;

namespace Cloister.Model.Dns;

/// <summary>A Route 53 hosted zone. A private zone answers only inside the VPCs associated with it.</summary>
/// <param name="Id">The <c>Z...</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">The zone's domain name.</param>
/// <param name="IsPrivate">Whether it is private.</param>
/// <param name="VpcIds">A private zone's VPCs.</param>
/// <param name="Records">Its record sets (SOA and NS are implied).</param>
public sealed record HostedZone(string Id, string LogicalId, string Name, bool IsPrivate, ImmutableArray<string> VpcIds, ImmutableArray<RecordSet> Records) : IResource;
