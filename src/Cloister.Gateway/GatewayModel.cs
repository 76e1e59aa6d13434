using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Network;
using Cloister.Model.Security;

namespace Cloister.Gateway;

/// <summary>
/// What the gateway serves: the APIs with their deployments and stages, and the VPC endpoints requests
/// arrive through. Stages serve their deployment's snapshot, so a change to an API reaches clients only
/// when it is deployed again; endpoint policies apply at once, as in AWS.
/// </summary>
/// <param name="Account">The account and region.</param>
/// <param name="Apis">The REST APIs as last put.</param>
/// <param name="Deployments">Deployments, each a snapshot of its API.</param>
/// <param name="Stages">Stages, each naming a deployment.</param>
/// <param name="VpcEndpoints">The execute-api interface endpoints (their policies and private DNS settings).</param>
public sealed record GatewayModel(
    AccountContext Account,
    ImmutableArray<RestApi> Apis,
    ImmutableArray<Deployment> Deployments,
    ImmutableArray<Stage> Stages,
    ImmutableArray<VpcEndpoint> VpcEndpoints)
{
    /// <summary>Authorizers of the APIs (TOKEN and REQUEST Lambda authorizers run; Cognito ones answer 401).</summary>
    public ImmutableArray<Authorizer> Authorizers { get; init; } = [];

    /// <summary>API keys.</summary>
    public ImmutableArray<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>Usage plans: the API stages they cover, their throttles and quotas.</summary>
    public ImmutableArray<UsagePlan> UsagePlans { get; init; } = [];

    /// <summary>Which API keys are in which usage plans.</summary>
    public ImmutableArray<UsagePlanKey> UsagePlanKeys { get; init; } = [];
    /// <summary>VPC links that HTTP and HTTP_PROXY integrations with <c>connectionType VPC_LINK</c> name.</summary>
    public ImmutableArray<VpcLink> VpcLinks { get; init; } = [];

    /// <summary>Public custom domain names.</summary>
    public ImmutableArray<DomainName> DomainNames { get; init; } = [];

    /// <summary>Private custom domain names.</summary>
    public ImmutableArray<DomainNameV2> PrivateDomainNames { get; init; } = [];

    /// <summary>Base path mappings of public custom domain names.</summary>
    public ImmutableArray<BasePathMapping> BasePathMappings { get; init; } = [];

    /// <summary>Base path mappings of private custom domain names.</summary>
    public ImmutableArray<BasePathMappingV2> PrivateBasePathMappings { get; init; } = [];

    /// <summary>Which VPC endpoints may reach which private custom domain names.</summary>
    public ImmutableArray<DomainNameAccessAssociation> DomainNameAccessAssociations { get; init; } = [];

    /// <summary>
    /// Lambda functions with their resource-based policies: API Gateway may invoke a function (AWS and AWS_PROXY
    /// integrations, Lambda authorizers) only when its policy allows <c>apigateway.amazonaws.com</c>, or the
    /// integration's <c>Credentials</c> role may invoke it.
    /// </summary>
    public ImmutableArray<Cloister.Model.Compute.LambdaFunction> Functions { get; init; } = [];

    /// <summary>IAM roles, for integrations and authorizers that name one in their credentials.</summary>
    public ImmutableArray<Cloister.Model.Iam.IamRole> Roles { get; init; } = [];

    /// <summary>ACM certificates, for the names custom domain names present over TLS.</summary>
    public ImmutableArray<Certificate> Certificates { get; init; } = [];
}
