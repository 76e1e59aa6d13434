using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloister.Functions.RuntimeApi;

/// <summary>
/// Kestrel's application for one Runtime API: routes the four 2018-06-01 endpoints by hand (no routing middleware,
/// no reflection) to the environment's handler.
/// </summary>
internal sealed class RuntimeApiApplication(IRuntimeApiHandler handler) : IHttpApplication<HttpContext>
{
    private const string Prefix = "/2018-06-01/runtime/";
    private const string InvocationPrefix = "invocation/";

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }

    public Task ProcessRequestAsync(HttpContext context)
    {
        var path = context.Request.Path.Value.AsSpan();
        var method = context.Request.Method;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return RuntimeApiResponses.WriteAsync(context, StatusCodes.Status404NotFound, RuntimeApiResponses.NotFound);
        }

        var rest = path[Prefix.Length..];
        if (rest.SequenceEqual("invocation/next"))
        {
            return HttpMethods.IsGet(method)
                ? handler.NextAsync(context)
                : RuntimeApiResponses.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, RuntimeApiResponses.NotFound);
        }

        if (rest.SequenceEqual("init/error"))
        {
            return HttpMethods.IsPost(method)
                ? handler.InitErrorAsync(context)
                : RuntimeApiResponses.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, RuntimeApiResponses.NotFound);
        }

        if (rest.StartsWith(InvocationPrefix, StringComparison.Ordinal) && HttpMethods.IsPost(method))
        {
            rest = rest[InvocationPrefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash > 0)
            {
                var action = rest[(slash + 1)..];
                if (action.SequenceEqual("response") || action.SequenceEqual("error"))
                {
                    return handler.CompleteAsync(context, rest[..slash].ToString(), isError: action[0] == 'e');
                }
            }
        }

        return RuntimeApiResponses.WriteAsync(context, StatusCodes.Status404NotFound, RuntimeApiResponses.NotFound);
    }
}
