using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A managed prefix list: a named set of CIDR blocks for routes and security group rules.</summary>
/// <param name="Id">The <c>pl-</c> id.</param>
/// <param name="LogicalId">The template's logical id (empty for AWS-managed service lists).</param>
/// <param name="Name">The list's name, such as <c>com.amazonaws.eu-central-1.dynamodb</c>.</param>
/// <param name="AddressFamily"><c>IPv4</c> or <c>IPv6</c>.</param>
/// <param name="MaxEntries">The most entries it may hold.</param>
/// <param name="Entries">Its CIDR blocks.</param>
public sealed record PrefixList(string Id, string LogicalId, string Name, string AddressFamily, int MaxEntries, ImmutableArray<PrefixListEntry> Entries) : IResource;
