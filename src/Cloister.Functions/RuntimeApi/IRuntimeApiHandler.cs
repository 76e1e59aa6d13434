using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.RuntimeApi;

/// <summary>What answers one execution environment's Runtime API requests.</summary>
internal interface IRuntimeApiHandler
{
    /// <summary>Handles <c>GET /runtime/invocation/next</c>: waits for an invocation and writes it.</summary>
    Task NextAsync(HttpContext context);

    /// <summary>Handles <c>POST /runtime/invocation/{id}/response</c> and <c>/error</c>.</summary>
    Task CompleteAsync(HttpContext context, string requestId, bool isError);

    /// <summary>Handles <c>POST /runtime/init/error</c>.</summary>
    Task InitErrorAsync(HttpContext context);
}
