using System.Buffers;
using System.Text;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Responses;
using Cloister.Model.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloister.Gateway.Authorizers;

/// <summary>
/// Runs TOKEN and REQUEST Lambda authorizers through the <see cref="ILambdaInvoker"/> port: reads the identity
/// sources, checks the validation expression, answers from the cache when it can, invokes the function otherwise
/// and reads its output. 401 when the identity is missing or the function raises <c>Unauthorized</c>; 500
/// (<c>AuthorizerConfigurationException</c>) when the function fails or answers something unusable.
/// </summary>
internal sealed class LambdaAuthorizers(ILambdaInvoker invoker, TimeProvider time, ILogger logger)
{
    /// <summary>How long an authorizer may take, as for an integration.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(Integration.DefaultTimeoutInMillis);

    private readonly AuthorizerCache _cache = new(time);

    public async ValueTask<AuthorizerOutcome> AuthorizeAsync(CompiledAuthorizer authorizer, HttpContext http, RequestState state, string methodArn, LambdaInvokeAccess access)
    {
        var definition = authorizer.Definition;
        if (definition.Type == AuthorizerType.CognitoUserPools)
        {
            // The sandbox has no Cognito to validate tokens against; nothing it could accept.
            return AuthorizerOutcome.Failed(AccessErrors.Unauthorized);
        }

        // The function (or its alias) may be a stage variable, as in an integration URI: function:${stageVariables.fn}.
        // It is part of the cache key, so that a stage pointed at another function does not reuse the old one's results.
        var function = authorizer.FunctionArn is { } named ? StageVariables.Substitute(named, state.StageVariables) : null;

        // So may the role in its credentials, as in an integration's (arn:aws:iam::<account>:${stageVariables.name}); part of the key too.
        var credentials = definition.AuthorizerCredentials is { } role ? StageVariables.Substitute(role, state.StageVariables) : null;
        var caching = authorizer.Ttl > TimeSpan.Zero;
        var key = new StringBuilder(64).Append(state.ApiId).Append('/').Append(state.Stage?.Name).Append('/').Append(definition.Id).Append('\0').Append(function).Append('\0').Append(credentials);
        string? token = null;
        foreach (var source in authorizer.Sources)
        {
            var value = Read(source, http, state);
            if (string.IsNullOrEmpty(value))
            {
                // A TOKEN authorizer always needs its token; a REQUEST one needs every source only when it caches.
                if (definition.Type == AuthorizerType.Token || caching)
                {
                    return AuthorizerOutcome.Failed(AccessErrors.Unauthorized);
                }

                value = string.Empty;
            }

            token ??= value;
            key.Append('\0').Append(value);
        }

        if (definition.Type == AuthorizerType.Token && authorizer.Validation is { } validation && !Matches(validation, token ?? string.Empty))
        {
            return AuthorizerOutcome.Failed(AccessErrors.Unauthorized);
        }

        var cacheKey = key.ToString();
        if (caching && _cache.TryGet(cacheKey, definition, out var cached))
        {
            return new AuthorizerOutcome(cached! with { LatencyMs = 0 }, null, true);
        }

        if (function is null)
        {
            Log.AuthorizerFailed(logger, state.RequestId, definition.Id, "its URI names no Lambda function");
            return AuthorizerOutcome.Failed(AccessErrors.AuthorizerConfiguration);
        }

        // Lambda lets API Gateway call an authorizer's function for the authorizer's ARN, {api ARN}/authorizers/{id}.
        var sourceArn = string.Concat(methodArn.AsSpan(0, methodArn.IndexOf('/', StringComparison.Ordinal)), "/authorizers/", definition.Id);
        if (!access.Allows(function, sourceArn, credentials, state.Caller?.Identity))
        {
            Log.InvalidLambdaPermissions(logger, state.RequestId, function, sourceArn);
            return AuthorizerOutcome.Failed(AccessErrors.AuthorizerConfiguration);
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        if (definition.Type == AuthorizerType.Token)
        {
            AuthorizerEventWriter.WriteToken(buffer, token ?? string.Empty, methodArn);
        }
        else
        {
            AuthorizerEventWriter.WriteRequest(buffer, http, state, methodArn);
        }

        var started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, http.RequestAborted);
        LambdaInvocationResult outcome;
        try
        {
            var trace = state.TraceHeaderFor(http.Request.Headers);
            outcome = await invoker.InvokeAsync(function, buffer.WrittenMemory, LambdaInvocationType.RequestResponse, trace, linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Log.AuthorizerFailed(logger, state.RequestId, definition.Id, "timed out");
            return AuthorizerOutcome.Failed(AccessErrors.AuthorizerFailure);
        }

        var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
        if (outcome.Status == LambdaInvocationStatus.FunctionError)
        {
            // $context.authorizer.error: "the error message returned from an authorizer", its function's errorMessage.
            state.AuthorizerError = AuthorizerResponseParser.ErrorMessage(outcome.Payload);
        }

        switch (outcome.Status)
        {
            case LambdaInvocationStatus.Success:
                break;
            case LambdaInvocationStatus.FunctionError when state.AuthorizerError == "Unauthorized":
                return AuthorizerOutcome.Failed(AccessErrors.Unauthorized);
            case LambdaInvocationStatus.ServiceError or LambdaInvocationStatus.RequestTooLarge:
                // Lambda refused the call (an authorizer's event, without a body, cannot really reach its 6 MB quota).
                Log.AuthorizerFailed(logger, state.RequestId, definition.Id, "the function could not be invoked: " + LambdaIntegration.FailureReason(outcome));
                return AuthorizerOutcome.Failed(AccessErrors.AuthorizerConfiguration);
            default:
                Log.AuthorizerFailed(logger, state.RequestId, definition.Id, $"Lambda {outcome.Status}");
                return AuthorizerOutcome.Failed(AccessErrors.AuthorizerFailure);
        }

        if (!AuthorizerResponseParser.TryParse(outcome.Payload, latency, out var result, out var reason))
        {
            Log.AuthorizerFailed(logger, state.RequestId, definition.Id, reason);
            return AuthorizerOutcome.Failed(AccessErrors.AuthorizerConfiguration);
        }

        if (caching)
        {
            _cache.Add(cacheKey, definition, result!, authorizer.Ttl);
        }

        return new AuthorizerOutcome(result, null, false);
    }

    private static string? Read(IdentitySource source, HttpContext http, RequestState state) => source.Kind switch
    {
        IdentitySourceKind.Header => http.Request.Headers.TryGetValue(source.Name, out var header) ? header.ToString() : null,
        IdentitySourceKind.QueryString => http.Request.Query.TryGetValue(source.Name, out var query) ? query.ToString() : null,
        IdentitySourceKind.StageVariable => state.StageVariables.GetValueOrDefault(source.Name),
        _ => state.Resolve(source.Name).Value,
    };

    private static bool Matches(System.Text.RegularExpressions.Regex validation, string token)
    {
        try
        {
            return validation.IsMatch(token);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
