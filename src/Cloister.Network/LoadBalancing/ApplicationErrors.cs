using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloister.Network.LoadBalancing;

/// <summary>The error and redirect pages an application load balancer writes itself, with <c>Server: awselb/2.0</c>.</summary>
internal static class ApplicationErrors
{
    public static Task WriteAsync(HttpContext context, int status, string? location = null) =>
        WriteOwnAsync(context, status, "text/html", Page(status), location);

    /// <summary>
    /// A whole HTTP/1.1 response with the page for <paramref name="status"/> that closes its connection, for a client the
    /// load balancer answers before any HTTP server reads its request.
    /// </summary>
    public static byte[] RawResponse(int status)
    {
        var page = Page(status);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {Title(status)}\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\nConnection: close\r\n\r\n");
        return [.. head, .. page];
    }

    private static byte[] Page(int status)
    {
        var title = Title(status);
        return Encoding.ASCII.GetBytes(
            $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n");
    }

    /// <summary>The status and its reason phrase; 463 is ELB's own status, with no reason phrase of its own.</summary>
    private static string Title(int status) => status switch
    {
        301 => "301 Moved Permanently",
        302 => "302 Found",
        400 => "400 Bad Request",
        405 => "405 Method Not Allowed",
        463 => "463",
        501 => "501 Not Implemented",
        502 => "502 Bad Gateway",
        503 => "503 Service Temporarily Unavailable",
        504 => "504 Gateway Time-out",
        505 => "505 HTTP Version Not Supported",
        _ => $"{status} Error",
    };

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
