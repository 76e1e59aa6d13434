using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using Cloister.Gateway.AccessLogs;
using Cloister.Gateway.ExecutionLogs;
using Cloister.Gateway.Pipeline.AccessControl;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Routing;
using Cloister.Gateway.Templates;
using Cloister.Gateway.Validation;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Arns;
using Cloister.Policy;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Catalog;

/// <summary>
/// Everything the gateway serves, compiled from a <see cref="GatewayModel"/> into immutable lookups and
/// swapped whole when the model changes, so a request sees one consistent version from start to end.
/// </summary>
internal sealed partial class GatewayCatalog
{
    private readonly ConcurrentDictionary<string, int?> _mockStatuses = new(StringComparer.Ordinal);

    private GatewayCatalog(AccountContext account, FrozenDictionary<string, CompiledApi> apis, FrozenDictionary<string, Cloister.Policy.Policy?> endpointPolicies, AccessCatalog access, LambdaInvokeAccess lambdaAccess)
    {
        Access = access;
        LambdaAccess = lambdaAccess;
        Account = account;
        Apis = apis;
        ApisById = apis.GetAlternateLookup<ReadOnlySpan<char>>();
        HasRequestLogs = apis.Values.Any(a => a.Stages.Values.Any(s => s.AccessLog is not null || s.ExecutionLog is not null));
        EndpointPolicies = endpointPolicies;
        Targets = new InvocationTargetParser(account.Region, account.UrlSuffix);
    }

    public AccountContext Account { get; }

    /// <summary>API keys, usage plans, authorizers, throttles and credentials (access control).</summary>
    public AccessCatalog Access { get; }

    public FrozenDictionary<string, CompiledApi> Apis { get; }

    /// <summary>Whether API Gateway may invoke a Lambda function: the functions' resource-based policies, the credentials' roles.</summary>
    public LambdaInvokeAccess LambdaAccess { get; }

    /// <summary><see cref="Apis"/> looked up by a span of the Host (no string per request).</summary>
    public FrozenDictionary<string, CompiledApi>.AlternateLookup<ReadOnlySpan<char>> ApisById { get; }

    /// <summary>Whether any stage writes an access or execution log (requests under this version are then counted until their lines are queued).</summary>
    public bool HasRequestLogs { get; }

    /// <summary>Endpoint policies by endpoint id; null (or a missing endpoint) is AWS's default full access.</summary>
    public FrozenDictionary<string, Cloister.Policy.Policy?> EndpointPolicies { get; }

    public InvocationTargetParser Targets { get; }

    /// <summary>The status a static MOCK request template selects, read once per catalog version.</summary>
    public int? MockStatus(string staticTemplate, Func<string, int?> read) => _mockStatuses.GetOrAdd(staticTemplate, read);

    public static GatewayCatalog Build(GatewayModel model, AccessOptions accessOptions, StatePaths state, ILogger logger, ICertificateIssuer? certificates = null)
    {
        var account = model.Account;
        var deployments = model.Deployments.IsDefault ? FrozenDictionary<string, Deployment>.Empty : model.Deployments.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);
        var stagesByApi = (model.Stages.IsDefault ? [] : model.Stages).ToLookup(s => s.RestApiId, StringComparer.Ordinal);
        var apis = new Dictionary<string, CompiledApi>(StringComparer.Ordinal);
        foreach (var api in model.Apis.IsDefault ? [] : model.Apis)
        {
            var stages = new Dictionary<string, CompiledStage>(StringComparer.Ordinal);
            foreach (var stage in stagesByApi[api.Id])
            {
                if (!deployments.TryGetValue(stage.DeploymentId, out var deployment))
                {
                    Log.StageWithoutDeployment(logger, api.Id, stage.StageName, stage.DeploymentId);
                    continue;
                }

                stages[stage.StageName] = CompileStage(account, stage, deployment, state, logger);
            }

            var endpointIds = api.VpcEndpointIds.IsDefault ? FrozenSet<string>.Empty : api.VpcEndpointIds.ToFrozenSet(StringComparer.Ordinal);
            apis[api.Id] = new CompiledApi(api.Id, api.EndpointType, endpointIds, stages.ToFrozenDictionary(StringComparer.Ordinal), api.DisableExecuteApiEndpoint);
        }

        var endpoints = new Dictionary<string, Cloister.Policy.Policy?>(StringComparer.Ordinal);
        foreach (var endpoint in model.VpcEndpoints.IsDefault ? [] : model.VpcEndpoints)
        {
            endpoints[endpoint.Id] = endpoint.PolicyDocument is null ? null : CompileOrDenyAll(endpoint.PolicyDocument, PolicyParseOptions.ForVpcEndpoint, endpoint.Id, logger);
        }

        var catalog = new GatewayCatalog(
            account,
            apis.ToFrozenDictionary(StringComparer.Ordinal),
            endpoints.ToFrozenDictionary(StringComparer.Ordinal),
            AccessCatalog.Build(model, accessOptions.Throttles, accessOptions.AccountThrottle, accessOptions.Credentials, accessOptions.Callers),
            LambdaInvokeAccess.Build(model, logger));
        catalog.CompileMappings(model, logger);
        catalog.CompileDomains(model, certificates, logger);
        return catalog;
    }

    private static CompiledStage CompileStage(AccountContext account, Stage stage, Deployment deployment, StatePaths state, ILogger logger)
    {
        var snapshot = deployment.Snapshot;
        var apiArn = $"arn:{account.Partition}:execute-api:{account.Region}:{account.AccountId}:{snapshot.Id}";
        var methodArnPrefix = $"{apiArn}/{stage.StageName}/";
        var policy = snapshot.Policy is null ? null : CompileOrDenyAll(snapshot.Policy, ExecuteApiOptions(apiArn), snapshot.Id, logger);
        var responses = (snapshot.GatewayResponses.IsDefault ? [] : snapshot.GatewayResponses).ToFrozenDictionary(
            r => r.ResponseType,
            r =>
            {
                // The application/json template, else the first by name; its key is the content type sent.
                var template = r.ResponseTemplates.TryGetValue("application/json", out var json)
                    ? KeyValuePair.Create("application/json", json)
                    : r.ResponseTemplates.OrderBy(t => t.Key, StringComparer.Ordinal).FirstOrDefault();
                return new CompiledGatewayResponse(
                    int.TryParse(r.StatusCode, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : null,
                    [.. r.ResponseParameters
                        .Where(p => p.Key.StartsWith("gatewayresponse.header.", StringComparison.Ordinal))
                        .Select(p => KeyValuePair.Create(p.Key["gatewayresponse.header.".Length..], p.Value))],
                    template.Value is null ? null : CompiledTemplate.Parse(template.Value),
                    template.Value is null ? "application/json" : template.Key);
            },
            StringComparer.Ordinal);
        var accessLog = stage.AccessLog is null
            ? null
            : new AccessLogTarget(CompiledTemplate.Parse(stage.AccessLog.Format), Path.Combine(state.AccessLogs, $"{snapshot.Id}_{stage.StageName}.log"));
        return new CompiledStage(
            stage.StageName,
            deployment.Id,
            snapshot,
            ResourceTree.Build(snapshot.Resources, methodArnPrefix),
            policy,
            stage.Variables,
            responses,
            accessLog,
            methodArnPrefix)
        {
            Validators = (snapshot.RequestValidators.IsDefault ? [] : snapshot.RequestValidators).ToFrozenDictionary(v => v.Id, StringComparer.Ordinal),
            Schemas = snapshot.Models.IsDefault || snapshot.Models.IsEmpty ? SchemaSet.Empty : SchemaSet.Build(snapshot),
            ExecutionLog = ExecutionLogTarget.Compile(stage, snapshot, state.ExecutionLogs),
        };
    }

    /// <summary>
    /// How a policy on an execute-api resource is read: a resource policy comes with the API's ARN (<c>...:{api-id}</c>), a
    /// private domain name's with the name's, which the shorthand <c>execute-api:/{stage}/{METHOD}/{path}</c> expands against.
    /// </summary>
    private static PolicyParseOptions ExecuteApiOptions(string resourceArn) =>
        Arn.TryParse(resourceArn, out var arn) && arn.Service == ExecuteApiArn.Service
            ? PolicyParseOptions.ForApi(new ExecuteApiScope(arn.Region, arn.Account, arn.Resource.Split('/')[0], arn.Partition))
            : PolicyParseOptions.Default;

    /// <summary>
    /// Compiles a policy once per catalog version. A policy that does not compile (malformed, or over its size limit)
    /// denies everything, and why is logged.
    /// </summary>
    private static Cloister.Policy.Policy CompileOrDenyAll(string document, PolicyParseOptions options, string owner, ILogger logger)
    {
        var parsed = Cloister.Policy.Policy.Parse(document, options);
        if (parsed.Policy is { } policy)
        {
            return policy;
        }

        Log.PolicyDidNotCompile(logger, owner, parsed.ErrorMessage);
        return DenyAllPolicy.Instance;
    }
}
