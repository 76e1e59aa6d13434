namespace Cloister.Network.Reachability;

/// <summary>The explanation codes VPC Reachability Analyzer uses for a blocked path (the ones Cloister reports).</summary>
public static class ExplanationCodes
{
    /// <summary>No route (or a blackhole route) carries the traffic.</summary>
    public const string CannotRoute = "CANNOT_ROUTE";

    /// <summary>No security group rule of the ENI allows the traffic.</summary>
    public const string EniSecurityGroupRulesMismatch = "ENI_SG_RULES_MISMATCH";

    /// <summary>The subnet's network ACL denies the traffic.</summary>
    public const string SubnetAclRestriction = "SUBNET_ACL_RESTRICTION";

    /// <summary>A component on the path is not in a usable state (an unaccepted peering connection).</summary>
    public const string BadState = "BAD_STATE";

    /// <summary>Nothing listens at the destination for this protocol or port (the VPC resolver answers DNS only).</summary>
    public const string DestinationPortMismatch = "DESTINATION_PORT_MISMATCH";

    /// <summary>The load balancer has no listener that accepts the traffic (none on the port, or not for the protocol).</summary>
    public const string Elbv2ListenersMismatch = "ELBV2_LISTENERS_MISMATCH";

    /// <summary>The listener's target groups have no targets.</summary>
    public const string Elbv2ListenerHasNoTargetGroup = "ELBV2_LISTENER_HAS_NO_TG";

    /// <summary>The target is in an Availability Zone the load balancer has not enabled (it has no subnet there): the load balancer never sends to it.</summary>
    public const string ElbInstalledAzRestriction = "ELB_INSTALLED_AZ_RESTRICTION";

    /// <summary>The target is in another Availability Zone than the network load balancer's node, whose cross-zone load balancing is off: that node never sends to it.</summary>
    public const string ElbNotCrossZone = "ELB_NOT_CROSSZONE";

    /// <summary>The listener has no target group that accepts the traffic (its forwards give every group weight 0).</summary>
    public const string Elbv2ListenerRequiresTargetGroupAccept = "ELBV2_LISTENER_REQUIRES_TG_ACCEPT";
}
