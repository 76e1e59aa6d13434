using Microsoft.AspNetCore.Http;
using PolicyRequestContext = Cloister.Policy.RequestContext;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>
/// Fills Cloister.Policy's reusable <see cref="PolicyRequestContext"/> from the connection the request really
/// arrived on. One context per thread, reset per use: filling it and evaluating allocate nothing. It is filled
/// again after an await, never carried across one.
/// </summary>
internal static class AccessContext
{
    [ThreadStatic]
    private static PolicyRequestContext? _threadContext;

    public static PolicyRequestContext For(HttpContext http, RequestState state, string methodArn)
    {
        var context = _threadContext ??= new PolicyRequestContext();
        context.Reset();
        context.Action = "execute-api:Invoke";
        context.Resource = methodArn;
        // aws:CurrentTime and aws:EpochTime have whole seconds.
        context.RequestTime = new DateTimeOffset(state.RequestTime.UtcTicks - (state.RequestTime.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        context.SecureTransport = true;
        context.SourceVpce = NullIfEmpty(state.VpceId);
        context.SourceVpc = NullIfEmpty(state.VpcId);
        if (state.Regional)
        {
            // At the Region's front end the caller's own address is aws:SourceIp, and no aws:VpcSourceIp (that key exists
            // only for requests through a VPC endpoint).
            context.SourceIp = NullIfEmpty(state.SourceIp);
        }
        else
        {
            // Through an endpoint API Gateway sees a rewritten source address: the endpoint's own (docs/gateway.md).
            context.VpcSourceIp = NullIfEmpty(state.SourceIp);
            context.SourceIp = http.Connection.LocalIpAddress?.ToString();
        }

        context.UserAgent = state.UserAgent;
        context.Referer = http.Request.Headers.Referer.Count > 0 ? http.Request.Headers.Referer.ToString() : null;
        if (state.Caller is { } caller)
        {
            context.Principal = caller.Principal;
        }

        return context;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
