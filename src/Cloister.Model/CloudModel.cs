using System.Collections.Immutable;
using Cloister.Model.Api;
using Cloister.Model.Compute;
using Cloister.Model.Data;
using Cloister.Model.Dns;
using Cloister.Model.Iam;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;
using Cloister.Model.Security;

namespace Cloister.Model;

/// <summary>
/// Everything a sandbox holds: the resources of every stack deployed into it, as immutable lists.
/// Modules read the part they own; a change makes a new model that is swapped in whole.
/// </summary>
public sealed record CloudModel
{
    /// <summary>The account and region.</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>VPCs.</summary>
    public ImmutableArray<Vpc> Vpcs { get; init; } = [];

    /// <summary>Subnets.</summary>
    public ImmutableArray<Subnet> Subnets { get; init; } = [];

    /// <summary>Route tables.</summary>
    public ImmutableArray<RouteTable> RouteTables { get; init; } = [];

    /// <summary>Peering connections.</summary>
    public ImmutableArray<PeeringConnection> PeeringConnections { get; init; } = [];

    /// <summary>Security groups.</summary>
    public ImmutableArray<SecurityGroup> SecurityGroups { get; init; } = [];

    /// <summary>Managed prefix lists, the customer's and the services'.</summary>
    public ImmutableArray<PrefixList> PrefixLists { get; init; } = [];

    /// <summary>Network ACLs.</summary>
    public ImmutableArray<NetworkAcl> NetworkAcls { get; init; } = [];

    /// <summary>VPC endpoints.</summary>
    public ImmutableArray<VpcEndpoint> VpcEndpoints { get; init; } = [];

    /// <summary>EC2 instances.</summary>
    public ImmutableArray<Instance> Instances { get; init; } = [];

    /// <summary>On-premises networks.</summary>
    public ImmutableArray<OnPremisesNetwork> OnPremisesNetworks { get; init; } = [];

    /// <summary>Hosted zones.</summary>
    public ImmutableArray<HostedZone> HostedZones { get; init; } = [];

    /// <summary>Resolver endpoints.</summary>
    public ImmutableArray<ResolverEndpoint> ResolverEndpoints { get; init; } = [];

    /// <summary>Resolver rules.</summary>
    public ImmutableArray<ResolverRule> ResolverRules { get; init; } = [];

    /// <summary>Resolver rule associations.</summary>
    public ImmutableArray<ResolverRuleAssociation> ResolverRuleAssociations { get; init; } = [];

    /// <summary>Resolver query logging configurations.</summary>
    public ImmutableArray<ResolverQueryLogConfig> QueryLogConfigs { get; init; } = [];

    /// <summary>REST APIs.</summary>
    public ImmutableArray<RestApi> RestApis { get; init; } = [];

    /// <summary>API deployments.</summary>
    public ImmutableArray<Deployment> Deployments { get; init; } = [];

    /// <summary>API stages.</summary>
    public ImmutableArray<Stage> Stages { get; init; } = [];

    /// <summary>Lambda functions.</summary>
    public ImmutableArray<LambdaFunction> Functions { get; init; } = [];

    /// <summary>IAM roles of the templates, with their policies written out.</summary>
    public ImmutableArray<IamRole> Roles { get; init; } = [];

    /// <summary>DynamoDB tables.</summary>
    public ImmutableArray<Table> Tables { get; init; } = [];

    /// <summary>Load balancers.</summary>
    public ImmutableArray<LoadBalancer> LoadBalancers { get; init; } = [];

    /// <summary>Target groups.</summary>
    public ImmutableArray<TargetGroup> TargetGroups { get; init; } = [];

    /// <summary>Listeners.</summary>
    public ImmutableArray<Listener> Listeners { get; init; } = [];

    /// <summary>Listener rules of application load balancers.</summary>
    public ImmutableArray<ListenerRule> ListenerRules { get; init; } = [];

    /// <summary>Certificates.</summary>
    public ImmutableArray<Certificate> Certificates { get; init; } = [];

    /// <summary>API Gateway authorizers, each of one REST API.</summary>
    public ImmutableArray<Authorizer> Authorizers { get; init; } = [];

    /// <summary>API keys.</summary>
    public ImmutableArray<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>Usage plans.</summary>
    public ImmutableArray<UsagePlan> UsagePlans { get; init; } = [];

    /// <summary>API keys in usage plans.</summary>
    public ImmutableArray<UsagePlanKey> UsagePlanKeys { get; init; } = [];
    /// <summary>API Gateway VPC links (to network load balancers).</summary>
    public ImmutableArray<VpcLink> VpcLinks { get; init; } = [];

    /// <summary>Public custom domain names of API Gateway.</summary>
    public ImmutableArray<DomainName> DomainNames { get; init; } = [];

    /// <summary>Private custom domain names of API Gateway.</summary>
    public ImmutableArray<DomainNameV2> PrivateDomainNames { get; init; } = [];

    /// <summary>Base path mappings of public custom domain names.</summary>
    public ImmutableArray<BasePathMapping> BasePathMappings { get; init; } = [];

    /// <summary>Base path mappings of private custom domain names.</summary>
    public ImmutableArray<BasePathMappingV2> PrivateBasePathMappings { get; init; } = [];

    /// <summary>VPC endpoints granted access to private custom domain names.</summary>
    public ImmutableArray<DomainNameAccessAssociation> DomainNameAccessAssociations { get; init; } = [];
}
