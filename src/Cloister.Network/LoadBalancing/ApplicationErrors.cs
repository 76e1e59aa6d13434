using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloister.Network.LoadBalancing;

/// <summary>The error and redirect pages an application load balancer writes itself, with <c>Server: awselb/2.0</c>.</summary>
internal static class ApplicationErrors
{
    public static Task WriteAsync(HttpContext context, int status, string? location = null)
    {
        var reason = status switch
        {
            301 => "Moved Permanently",
            302 => "Found",
            502 => "Bad Gateway",
            503 => "Service Temporarily Unavailable",
            504 => "Gateway Time-out",
            _ => "Error",
        };
        var body = Encoding.ASCII.GetBytes(
            $"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n");
        return WriteOwnAsync(context, status, "text/html", body, location);
    }

    /// <summary>Any answer the load balancer gives itself: whatever was set is cleared, then this status, type and body.</summary>
    public static Task WriteOwnAsync(HttpContext context, int status, string? contentType, byte[] body, string? location = null)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.ContentLength = body.Length;
        response.Headers.Server = "awselb/2.0";
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
