using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Compute;
using Cloister.Model.Data;
using Cloister.Model.Dns;
using Cloister.Model.Identifiers;
using Cloister.Model.LoadBalancing;
using Cloister.Model.Network;
using Cloister.Model.Security;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.OnPremises;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Turns the evaluated resources of every stack into one <see cref="CloudModel"/>. Resources that
/// contribute to another (routes to their route table, rules to their security group, records to their
/// zone, methods to their API) are gathered first; each problem names the resource and property.
/// </summary>
internal sealed partial class ModelBuilder(AccountContext account, IdGenerator ids, ProblemCollector problems)
{
    private readonly List<EvaluatedResource> _all = [];
    private readonly Dictionary<string, string> _stackIds = new(StringComparer.Ordinal);
    private readonly List<Vpc> _vpcs = [];
    private readonly List<Subnet> _subnets = [];
    private readonly List<RouteTable> _routeTables = [];
    private readonly List<PeeringConnection> _peerings = [];
    private readonly List<SecurityGroup> _groups = [];
    private readonly List<PrefixList> _prefixLists = [];
    private readonly List<NetworkAcl> _acls = [];
    private readonly List<VpcEndpoint> _endpoints = [];
    private readonly List<Instance> _instances = [];
    private readonly List<OnPremisesNetwork> _onPremises = [];
    private readonly List<HostedZone> _zones = [];
    private readonly List<ResolverEndpoint> _resolverEndpoints = [];
    private readonly List<ResolverRule> _resolverRules = [];
    private readonly List<ResolverRuleAssociation> _ruleAssociations = [];
    private readonly List<ResolverQueryLogConfig> _queryLogs = [];
    private readonly List<RestApi> _apis = [];
    private readonly List<Deployment> _deployments = [];
    private readonly List<Stage> _stages = [];
    private readonly List<LambdaFunction> _functions = [];
    private readonly List<Table> _tables = [];
    private readonly List<LoadBalancer> _loadBalancers = [];
    private readonly List<TargetGroup> _targetGroups = [];
    private readonly List<Listener> _listeners = [];
    private readonly List<ListenerRule> _listenerRules = [];
    private readonly List<Certificate> _certificates = [];

    /// <summary>The types this builder turns into model records; others are kept as plain resources.</summary>
    public static readonly ImmutableHashSet<string> ModelledTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::PrefixList",
        "AWS::EC2::VPCEndpoint", "AWS::EC2::VPCPeeringConnection", "AWS::EC2::Instance", "AWS::EC2::NetworkAcl",
        "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation",
        "AWS::Route53::HostedZone", "AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup",
        "AWS::Route53Resolver::ResolverEndpoint", "AWS::Route53Resolver::ResolverRule", "AWS::Route53Resolver::ResolverRuleAssociation",
        "AWS::Route53Resolver::ResolverQueryLoggingConfig", "AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation",
        "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Resource", "AWS::ApiGateway::Method", "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Stage", "AWS::ApiGateway::GatewayResponse",
        "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Lambda::Version", "AWS::Lambda::Alias", "AWS::Lambda::LayerVersion", "AWS::DynamoDB::Table",
        "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::CertificateManager::Certificate",
        "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::UsagePlanKey", "AWS::ApiGateway::Authorizer",
        RoleType, OnPremisesTypes.Network, OnPremisesTypes.Host).Union(DomainTypes).Union(RolePolicyTypes);

    public void Add(EvaluatedStack stack)
    {
        _all.AddRange(stack.Resources);
        _stackIds[stack.StackName] = stack.StackId;
    }

    public CloudModel Build()
    {
        BuildNetwork();
        BuildDns();
        BuildApis();
        BuildAccess();
        BuildRoles();
        BuildCompute();
        BuildOnPremises();
        BuildDomains();
        CheckLogGroups();
        return new CloudModel
        {
            Account = account,
            Vpcs = [.. _vpcs],
            Subnets = [.. _subnets],
            RouteTables = [.. _routeTables],
            PeeringConnections = [.. _peerings],
            SecurityGroups = [.. _groups],
            PrefixLists = [.. _prefixLists],
            NetworkAcls = [.. _acls],
            VpcEndpoints = [.. _endpoints],
            Instances = [.. _instances],
            OnPremisesNetworks = [.. _onPremises],
            HostedZones = [.. _zones],
            ResolverEndpoints = [.. _resolverEndpoints],
            ResolverRules = [.. _resolverRules],
            ResolverRuleAssociations = [.. _ruleAssociations],
            QueryLogConfigs = [.. _queryLogs],
            RestApis = [.. _apis],
            Deployments = [.. _deployments],
            Stages = [.. _stages],
            Functions = [.. _functions],
            Roles = [.. _roles],
            Tables = [.. _tables],
            LoadBalancers = [.. _loadBalancers],
            TargetGroups = [.. _targetGroups],
            Listeners = [.. _listeners],
            ListenerRules = [.. _listenerRules],
            Certificates = [.. _certificates],
            Authorizers = [.. _authorizers],
            ApiKeys = [.. _apiKeys],
            UsagePlans = [.. _usagePlans],
            UsagePlanKeys = [.. _usagePlanKeys],
            VpcLinks = [.. _vpcLinks],
            DomainNames = [.. _domainNames],
            PrivateDomainNames = [.. _privateDomainNames],
            BasePathMappings = [.. _basePathMappings],
            PrivateBasePathMappings = [.. _privateBasePathMappings],
            DomainNameAccessAssociations = [.. _accessAssociations],
        };
    }

    /// <summary>What the templates say that Cloister accepts with reservations, each naming the resource and property.</summary>
    public List<ValidationProblem> Warnings { get; init; } = [];

    private IEnumerable<PropertyReader> OfType(string type) => _all.Where(r => r.Type == type).Select(Reader);

    private EvaluatedResource? Find(string? physicalId, string type) =>
        physicalId is null ? null : _all.FirstOrDefault(r => r.Type == type && r.RefValue == physicalId);
}
