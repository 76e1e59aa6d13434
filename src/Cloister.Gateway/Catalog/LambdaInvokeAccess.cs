using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Iam;
using Cloister.Policy;
using Cloister.Policy.Callers;
using Cloister.Policy.Resources;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Catalog;

/// <summary>
/// Whether API Gateway may invoke a Lambda function, as Lambda decides it. Without credentials API Gateway calls as the
/// service <c>apigateway.amazonaws.com</c>, with <c>aws:SourceArn</c> the calling method's ARN
/// (<c>arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{resource path}</c>, or
/// <c>.../authorizers/{id}</c> for an authorizer) and <c>aws:SourceAccount</c> the API's account: the function's
/// resource-based policy (its <c>AWS::Lambda::Permission</c>s, compiled into the statements Lambda's <c>GetPolicy</c>
/// shows) must allow it. With a role in credentials, API Gateway calls as a session of that role: the role's identity
/// policies (within its boundary) or the function's policy must allow <c>lambda:InvokeFunction</c>. Lambda keeps one
/// policy per qualifier: a URI naming an alias or version (<c>…:function:NAME:live</c>) is decided by the permissions
/// added on that alias or version only, and an unqualified (or <c>$LATEST</c>) one by the function's own
/// (using-aliases, "Resource policies").
/// </summary>
internal sealed class LambdaInvokeAccess
{
    private const string ApiGatewayService = "apigateway.amazonaws.com";
    private const string InvokeAction = "lambda:InvokeFunction";

    /// <summary>The credentials that mean "the caller's own"; Cloister has no caller to pass them from but a signed one.</summary>
    public const string CallerCredentials = "arn:aws:iam::*:user/*";

    private static readonly RequestPrincipal ApiGateway = RequestPrincipal.Service(ApiGatewayService);

    private readonly AccountContext _account;
    // By function name, or NAME:QUALIFIER for each alias and version: its compiled policy, null when nothing is granted on it.
    private readonly FrozenDictionary<string, Cloister.Policy.Policy?> _functions;
    private readonly FrozenDictionary<string, CompiledRole> _roles;

    // Decisions without a caller's own credentials depend on the function, the source ARN and the role only; the source
    // ARNs are the methods' and authorizers' (resource paths, not request paths), so the cache is bounded by the model.
    private readonly ConcurrentDictionary<(string Function, string SourceArn, string? Credentials), bool> _decisions = new();

    private LambdaInvokeAccess(AccountContext account, FrozenDictionary<string, Cloister.Policy.Policy?> functions, FrozenDictionary<string, CompiledRole> roles)
    {
        _account = account;
        _functions = functions;
        _roles = roles;
    }

    public static LambdaInvokeAccess Build(GatewayModel model, ILogger logger)
    {
        var account = model.Account;
        var functions = FunctionPolicies.Compile(account, model.Functions.IsDefault ? [] : model.Functions, (owner, reason) => Log.PolicyDidNotCompile(logger, owner, reason));
        // API Gateway assumes the role when the catalog is built: its sessions' aws:TokenIssueTime.
        var issuedAt = DateTimeOffset.UtcNow;
        var roles = (model.Roles.IsDefault ? [] : model.Roles).DistinctBy(r => r.Arn, StringComparer.Ordinal)
            .ToFrozenDictionary(r => r.Arn, r => Compile(account, r, issuedAt, logger), StringComparer.Ordinal);
        return new LambdaInvokeAccess(account, functions, roles);
    }

    /// <summary>
    /// Whether <paramref name="functionArn"/> (as the integration or authorizer URI names it) may be invoked for
    /// <paramref name="sourceArn"/>, by API Gateway itself or, when <paramref name="credentials"/> names a role, by that role.
    /// </summary>
    /// <param name="functionArn">The function ARN from the URI, with the alias or version it invokes if it names one.</param>
    /// <param name="sourceArn">The calling method's (or authorizer's) execute-api ARN.</param>
    /// <param name="credentials">The integration's or authorizer's credentials, or null.</param>
    /// <param name="caller">The request's SigV4-signed caller, for <see cref="CallerCredentials"/>.</param>
    public bool Allows(string functionArn, string sourceArn, string? credentials, CallerIdentity? caller)
    {
        var name = LambdaFunction.NameOf(functionArn, out var qualifier);
        name = Key(name, qualifier == Latest ? null : qualifier);
        if (credentials == CallerCredentials)
        {
            return caller is not null && Decide(name, sourceArn, credentials, caller);
        }

        return _decisions.GetOrAdd((name, sourceArn, string.IsNullOrEmpty(credentials) ? null : credentials), key => Decide(key.Function, key.SourceArn, key.Credentials, null));
    }

    /// <summary>The decision for <paramref name="key"/>: the function's name, or NAME:QUALIFIER for an alias or version.</summary>
    private bool Decide(string key, string sourceArn, string? credentials, CallerIdentity? caller)
    {
        if (!_functions.TryGetValue(key, out var policy))
        {
            // No such function, alias or version: Lambda refuses before anything else (API Gateway logs it as invalid permissions too).
            return false;
        }

        var context = new RequestContext { Action = InvokeAction, Resource = ArnOf(key) };
        context.Set("aws:SourceAccount", _account.AccountId);
        if (credentials is null)
        {
            context.Principal = ApiGateway;
            context.SourceArn = sourceArn;
            return policy is not null && policy.Evaluate(context).IsAllowed;
        }

        if (caller is not null)
        {
            context.Principal = caller.Principal;
            return IamAccess.Evaluate(context, caller, policy, endpointPolicy: null).IsAllowed;
        }

        if (!_roles.TryGetValue(credentials, out var role))
        {
            // A role the model does not hold has policies Cloister cannot know: full access, as for every such role (docs/iam.md).
            return true;
        }

        context.Principal = role.Session;
        return IamAccess.Evaluate(context, role.Policies, role.Boundary, policy, null, isRoot: false).IsAllowed;
    }

    private const string Latest = "$LATEST";

    /// <summary>The ARN a key names: the function's, or its alias's or version's (NAME:QUALIFIER, as in the ARN).</summary>
    private string ArnOf(string key) => LambdaFunction.ArnOf(_account, key);

    private static string Key(string name, string? qualifier) => FunctionPolicies.Key(name, qualifier);

    /// <summary>
    /// A role's session as API Gateway assumes it (the role's tags as its principal tags, as every session of the role
    /// carries them), its identity policies and boundary; a policy that does not compile grants nothing.
    /// </summary>
    private static CompiledRole Compile(AccountContext account, IamRole role, DateTimeOffset issuedAt, ILogger logger)
    {
        var compiled = RolePolicies.Compile(role, line => Log.PolicyDidNotCompile(logger, "role " + role.RoleName, line));
        var boundary = compiled.BoundaryInvalid ? DenyAllPolicy.Instance : compiled.Boundary;
        var session = RequestPrincipal.RoleSession($"arn:{account.Partition}:sts::{account.AccountId}:assumed-role/{role.RoleName}/{ApiGatewayService}", role.Arn, issuedAt, role.Tags);
        return new CompiledRole(session, compiled.Identity, boundary);
    }

    private sealed record CompiledRole(RequestPrincipal Session, ImmutableArray<Cloister.Policy.Policy> Policies, Cloister.Policy.Policy? Boundary);
}
