using Cloister.Functions.Hosting;
using Cloister.Functions.Refusals;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Policy.Resources;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Decides whether a call may do what it asks, as Lambda does (<see cref="LambdaAccess"/>): where the connection came
/// from (the listener's endpoint, or the socket's origin, never a header), who signed the call, whether its temporary
/// credentials have expired (403 <c>ExpiredTokenException</c>) and whether the signature is the caller's, then the operation's action (<c>lambda:InvokeFunction</c>, <c>lambda:GetFunction</c>...) on the
/// function's ARN (<c>*</c> for an operation on no function) with the caller's policies, the function's (or its alias's
/// or version's) resource-based policy and the endpoint's policy, combined by <see cref="IamAccess"/>. An operation
/// Cloister does not serve is refused even when IAM allows it, as an operation the caller may not use. The request
/// context carries the tag keys Lambda sets (<see cref="AddTagKeys"/>).
/// </summary>
internal sealed class InvokeAuthorizer(LambdaAccess access, AccountContext account, TimeProvider time, LambdaService functions)
{
    private const string Latest = "$LATEST";
    private const string ResourceTagPrefix = "aws:ResourceTag/";
    private const string RequestTagPrefix = "aws:RequestTag/";
    private const string TagKeys = "aws:TagKeys";

    // Swapped whole by a deployment (see SwapFunctionPolicies); each call reads the set in force when it is checked.
    private IReadOnlyDictionary<string, PolicyDocument?> _functionPolicies = access.FunctionPolicies;

    /// <summary>
    /// Makes <paramref name="policies"/> the functions' resource-based policies from the next call on, as Lambda applies
    /// an AddPermission or RemovePermission (a deployment that adds, changes or removes <c>AWS::Lambda::Permission</c>s,
    /// or adds functions).
    /// </summary>
    public void SwapFunctionPolicies(IReadOnlyDictionary<string, PolicyDocument?> policies) => Volatile.Write(ref _functionPolicies, policies);

    /// <summary>Null when the call may go on, else Lambda's refusal (403, nothing runs).</summary>
    /// <param name="context">The call.</param>
    /// <param name="body">Its body, as signed.</param>
    /// <param name="operation">What it asks for.</param>
    /// <param name="name">The function's name (from any of the forms Lambda takes), or null for an operation on no function.</param>
    /// <param name="qualifier">Its alias or version when the call names one.</param>
    public InvocationResult? Check(HttpContext context, ReadOnlySpan<byte> body, LambdaOperation operation, string? name, string? qualifier)
    {
        var located = access.Locate(
            context.Features.Get<InterfaceEndpointListener>(),
            context.Features.Get<IConnectionSocketFeature>()?.Socket,
            context.Connection.RemoteIpAddress);
        if (located.Origin is not { } origin)
        {
            // The stack host's own connection.
            return null;
        }

        var requestId = Guid.NewGuid().ToString();
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Refusal.Forbidden("MissingAuthenticationTokenException", "Missing Authentication Token", requestId);
        }

        if (SigV4Authorization.TryParse(header, out var problem) is not { } authorization)
        {
            return Refusal.Forbidden("IncompleteSignatureException", problem!, requestId);
        }

        if (authorization.Service != "lambda")
        {
            return Refusal.Forbidden("InvalidSignatureException", "Credential should be scoped to correct service: 'lambda'. ", requestId);
        }

        if (access.Callers(authorization.AccessKeyId) is not { } caller)
        {
            return Refusal.Forbidden("UnrecognizedClientException", "The security token included in the request is invalid.", requestId);
        }

        if (caller.HasExpired(time.GetUtcNow()))
        {
            return Refusal.Forbidden("ExpiredTokenException", CallerIdentity.ExpiredTokenMessage, requestId);
        }

        if (caller.SecretAccessKey is { } secret && HttpsApplication.Verify(context.Request, body, authorization, secret, time.GetUtcNow()) is { } failure)
        {
            return Refusal.Forbidden(failure.Incomplete ? "IncompleteSignatureException" : "InvalidSignatureException", failure.Message, requestId);
        }

        var resource = ResourceOf(account, name, qualifier);
        var request = new RequestContext
        {
            Action = operation.Action,
            Resource = resource,
            Principal = caller.Principal,
            UserId = caller.UserId,
            RequestTime = time.GetUtcNow(),
            SecureTransport = context.Request.IsHttps,
            RequestedRegion = account.Region,
        };
        request.SetOrigin(origin);
        AddTagKeys(request, context.Request, body, operation, name);

        // Lambda keeps one policy per qualifier; $LATEST is the function's own.
        var functionPolicy = name is null ? null : Volatile.Read(ref _functionPolicies).GetValueOrDefault(FunctionPolicies.Key(name, qualifier is null or Latest ? null : qualifier));
        var decision = IamAccess.Evaluate(request, caller, functionPolicy, located.EndpointPolicy, located.EndpointType);
        if (!decision.IsAllowed)
        {
            return Refusal.Forbidden("AccessDeniedException", decision.DeniedMessage(caller.Arn, operation.Action, resource), requestId);
        }

        return operation.Served ? null : NotServed(caller.Arn, operation.Action, resource);
    }

    /// <summary>
    /// The tag keys of the call, as Lambda's service authorization reference lists them: <c>aws:ResourceTag/KEY</c> for
    /// each tag the named function has at this moment (the function resource type's key, so every operation on a
    /// function, an alias's or version's ARN included: Lambda keeps tags on the function only); for TagResource
    /// <c>aws:RequestTag/KEY</c> for each tag of the body and <c>aws:TagKeys</c> their keys; for UntagResource
    /// <c>aws:TagKeys</c> the <c>tagKeys</c> of the query. A TagResource body the operation will refuse gives neither.
    /// </summary>
    private void AddTagKeys(RequestContext request, HttpRequest http, ReadOnlySpan<byte> body, LambdaOperation operation, string? name)
    {
        if (name is not null && functions.Deployed(name) is { } function)
        {
            foreach (var (key, value) in function.Tags)
            {
                request.Set(ResourceTagPrefix + key, value);
            }
        }

        if (operation.Name == LambdaOperation.TagResource && FunctionTags.ReadTags(body, string.Empty, out var given) is null)
        {
            request.SetEmpty(TagKeys);
            foreach (var (key, value) in given)
            {
                request.Set(RequestTagPrefix + key, value);
                request.Add(TagKeys, key);
            }
        }
        else if (operation.Name == LambdaOperation.UntagResource && http.Query.TryGetValue("tagKeys", out var keys))
        {
            request.SetEmpty(TagKeys);
            foreach (var key in keys.OfType<string>())
            {
                request.Add(TagKeys, key);
            }
        }
    }

    /// <summary>The resource an operation is on: the function's ARN, qualified when the call names a qualifier; <c>*</c> for none.</summary>
    public static string ResourceOf(AccountContext account, string? name, string? qualifier) =>
        name is null ? "*" : LambdaFunction.ArnOf(account, name, qualifier);

    /// <summary>
    /// The refusal of an operation Cloister does not serve, once IAM has had its say: 403 <c>AccessDeniedException</c>
    /// in IAM's words, its reason saying why instead of naming a policy type (no policy of the caller's refused it: the
    /// stack's Lambda only changes with its template), so a caller whose policies allow the action is not sent looking
    /// for one that refuses it.
    /// </summary>
    public static InvocationResult NotServed(string caller, string action, string resource) =>
        Refusal.Forbidden("AccessDeniedException", $"User: {caller} is not authorized to perform: {action} on resource: {resource} because Cloister does not serve {action}: the stack's functions change only with its template (served: {LambdaOperation.ServedActions})", Guid.NewGuid().ToString());
}
