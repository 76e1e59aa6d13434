namespace Cloister.Model.Network;

/// <summary>A virtual private cloud.</summary>
/// <param name="Id">The <c>vpc-</c> id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="CidrBlock">The primary IPv4 CIDR block.</param>
/// <param name="EnableDnsSupport">Whether the <c>.2</c> resolver answers (AWS default true).</param>
/// <param name="EnableDnsHostnames">Whether instances get DNS host names (AWS default false for non-default VPCs).</param>
/// <param name="Name">The Name tag, if any.</param>
public sealed record Vpc(string Id, string LogicalId, string CidrBlock, bool EnableDnsSupport = true, bool EnableDnsHostnames = false, string? Name = null) : IResource;
