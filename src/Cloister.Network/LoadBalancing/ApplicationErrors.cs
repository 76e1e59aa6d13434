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
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.ContentType = "text/html";
        response.ContentLength = body.Length;
        response.Headers.Server = "awselb/2.0";
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
