using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Iam;
using Cloister.Policy;
using Cloister.Policy.Callers;
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
        var functions = (model.Functions.IsDefault ? [] : model.Functions)
            .SelectMany(f => Qualifiers(f).Select(q => (Key: Key(f.FunctionName, q), Policy: Compile(account, f, q, logger))))
            .ToFrozenDictionary(p => p.Key, p => p.Policy, StringComparer.Ordinal);
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
            return IamAccess.Evaluate(context, caller.IdentityPolicies, caller.PermissionsBoundary, policy, null, caller.IsRoot).IsAllowed;
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

    private static string Key(string name, string? qualifier) => qualifier is null ? name : name + ":" + qualifier;

    /// <summary>Null for the function itself, then each of its aliases and versions: each has a policy of its own.</summary>
    private static IEnumerable<string?> Qualifiers(LambdaFunction function) =>
        new string?[] { null }.Concat(function.Aliases.Select(a => a.Name)).Concat(function.Versions.Select(v => v.Version));

    /// <summary>
    /// The resource-based policy of the function (<paramref name="qualifier"/> null) or of one alias or version, as
    /// Lambda writes it from the permissions added on it (one statement each); null when none is.
    /// </summary>
    private static Cloister.Policy.Policy? Compile(AccountContext account, LambdaFunction function, string? qualifier, ILogger logger)
    {
        var permissions = function.Permissions.IsDefault ? [] : function.Permissions.Where(p => p.Qualifier == qualifier).ToList();
        if (permissions.Count == 0)
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            foreach (var permission in permissions)
            {
                json.WriteStartObject();
                json.WriteString("Sid", permission.LogicalId);
                json.WriteString("Effect", "Allow");
                WritePrincipal(json, account, permission.Principal);
                json.WriteString("Action", permission.Action);
                json.WriteString("Resource", LambdaFunction.ArnOf(account, function.FunctionName, qualifier));
                if (permission.SourceArn is not null || permission.SourceAccount is not null)
                {
                    json.WriteStartObject("Condition");
                    if (permission.SourceArn is { } sourceArn)
                    {
                        json.WriteStartObject("ArnLike");
                        json.WriteString("AWS:SourceArn", sourceArn);
                        json.WriteEndObject();
                    }

                    if (permission.SourceAccount is { } sourceAccount)
                    {
                        json.WriteStartObject("StringEquals");
                        json.WriteString("AWS:SourceAccount", sourceAccount);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var parsed = Cloister.Policy.Policy.Parse(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), PolicyParseOptions.Default);
        if (parsed.Policy is null)
        {
            Log.PolicyDidNotCompile(logger, "function " + Key(function.FunctionName, qualifier), parsed.ErrorMessage);
        }

        return parsed.Policy;
    }

    /// <summary>Lambda's principal forms: <c>*</c>, an account id, an ARN, or a service.</summary>
    private static void WritePrincipal(Utf8JsonWriter json, AccountContext account, string principal)
    {
        if (principal == "*")
        {
            json.WriteString("Principal", "*");
            return;
        }

        json.WriteStartObject("Principal");
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit))
        {
            json.WriteString("AWS", $"arn:{account.Partition}:iam::{principal}:root");
        }
        else if (principal.StartsWith("arn:", StringComparison.Ordinal))
        {
            json.WriteString("AWS", principal);
        }
        else
        {
            json.WriteString("Service", principal);
        }

        json.WriteEndObject();
    }

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
