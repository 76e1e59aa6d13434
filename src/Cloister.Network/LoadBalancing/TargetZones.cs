using System.Collections.Frozen;
using Cloister.Model;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Addressing;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// Which Availability Zone a target is in, and whether its load balancer sends to it: ELB sends only to targets in the
/// zones enabled for the load balancer (those of its subnets); a target elsewhere is <c>unused</c> with reason
/// <c>Target.NotInUse</c>, and Reachability Analyzer reports <c>ELB_INSTALLED_AZ_RESTRICTION</c>. The data plane
/// (<see cref="LoadBalancerCatalog"/>) and <c>cloister path</c> both ask here, so they agree.
/// </summary>
internal static class TargetZones
{
    /// <summary>The zones enabled for <paramref name="balancer"/>: its subnets'.</summary>
    public static FrozenSet<string> Enabled(CloudModel model, LoadBalancer balancer) =>
        model.Subnets.Where(s => balancer.SubnetIds.Contains(s.Id, StringComparer.Ordinal)).Select(s => s.AvailabilityZone).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The zone of the target at <paramref name="address"/>: that of the subnet of the target group's VPC (else the load
    /// balancer's) that holds it, as ELB detects it for instances and IP targets inside the VPC. Null — every enabled
    /// zone, ELB's <c>all</c> — for an address outside that VPC (peered, on-premises): ELB needs the zone given when the
    /// target is registered there, which the model does not carry, and <c>all</c> is what such targets are commonly
    /// registered with.
    /// </summary>
    public static string? Of(CloudModel model, TargetGroup group, LoadBalancer balancer, string address)
    {
        var vpcId = group.VpcId.Length > 0 ? group.VpcId : model.Subnets.FirstOrDefault(s => balancer.SubnetIds.Contains(s.Id, StringComparer.Ordinal))?.VpcId;
        return model.Subnets.FirstOrDefault(s => s.VpcId == vpcId && Ipv4Cidr.ParseOrNull(s.CidrBlock) is { } block && block.Contains(address))?.AvailabilityZone;
    }

    /// <summary>Whether the load balancer sends to a target in <paramref name="zone"/> (null: every enabled zone).</summary>
    public static bool InUse(string? zone, FrozenSet<string> enabled) => zone is null || enabled.Contains(zone);
}
