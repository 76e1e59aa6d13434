namespace Cloister.Model.Identifiers;

/// <summary>The shapes of identifier AWS gives its resources.</summary>
public enum IdKind
{
    /// <summary>A VPC, <c>vpc-</c> and 17 hex digits.</summary>
    Vpc,
    /// <summary>A subnet, <c>subnet-</c>.</summary>
    Subnet,
    /// <summary>A route table, <c>rtb-</c>.</summary>
    RouteTable,
    /// <summary>A security group, <c>sg-</c>.</summary>
    SecurityGroup,
    /// <summary>A security group rule, <c>sgr-</c>.</summary>
    SecurityGroupRule,
    /// <summary>A managed prefix list, <c>pl-</c>.</summary>
    PrefixList,
    /// <summary>A VPC endpoint, <c>vpce-</c>.</summary>
    VpcEndpoint,
    /// <summary>A VPC peering connection, <c>pcx-</c>.</summary>
    PeeringConnection,
    /// <summary>An EC2 instance, <c>i-</c>.</summary>
    Instance,
    /// <summary>A network interface, <c>eni-</c>.</summary>
    NetworkInterface,
    /// <summary>A network ACL, <c>acl-</c>.</summary>
    NetworkAcl,
    /// <summary>An internet gateway, <c>igw-</c>.</summary>
    InternetGateway,
    /// <summary>A virtual private gateway, <c>vgw-</c>.</summary>
    VpnGateway,
    /// <summary>A customer gateway, <c>cgw-</c>.</summary>
    CustomerGateway,
    /// <summary>A site-to-site VPN connection, <c>vpn-</c>.</summary>
    VpnConnection,
    /// <summary>An inbound Route 53 Resolver endpoint, <c>rslvr-in-</c>.</summary>
    ResolverInboundEndpoint,
    /// <summary>An outbound Route 53 Resolver endpoint, <c>rslvr-out-</c>.</summary>
    ResolverOutboundEndpoint,
    /// <summary>A Route 53 Resolver rule, <c>rslvr-rr-</c>.</summary>
    ResolverRule,
    /// <summary>A Resolver rule association, <c>rslvr-rrassoc-</c>.</summary>
    ResolverRuleAssociation,
    /// <summary>A Resolver query log configuration, <c>rslvr-qlc-</c>.</summary>
    ResolverQueryLogConfig,
    /// <summary>A Resolver network interface, <c>rni-</c>.</summary>
    ResolverNetworkInterface,
    /// <summary>A REST API, a resource or a deployment: 10 lowercase alphanumerics.</summary>
    RestApi,
    /// <summary>An API Gateway resource (a path of a REST API).</summary>
    ApiResource,
    /// <summary>An API Gateway deployment.</summary>
    Deployment,
    /// <summary>An API Gateway VPC link.</summary>
    VpcLink,
    /// <summary>An API key: 10 lowercase alphanumerics.</summary>
    ApiKey,
    /// <summary>A usage plan: 6 lowercase alphanumerics.</summary>
    UsagePlan,
    /// <summary>An authorizer: 6 lowercase alphanumerics.</summary>
    Authorizer,
    /// <summary>A Route 53 hosted zone: <c>Z</c> and 21 upper-case alphanumerics.</summary>
    HostedZone,
    /// <summary>A private custom domain name id: 10 lowercase alphanumerics.</summary>
    DomainNameId,
}
