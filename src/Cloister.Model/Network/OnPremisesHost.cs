namespace Cloister.Model.Network;

/// <summary>A host of an on-premises network.</summary>
/// <param name="Id">A stable id for the host.</param>
/// <param name="LogicalId">The on-premises file's logical id.</param>
/// <param name="IpAddress">Its address in the corporate CIDR.</param>
public sealed record OnPremisesHost(string Id, string LogicalId, string IpAddress) : IResource;
