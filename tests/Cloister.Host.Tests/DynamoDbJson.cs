using System.Net;

namespace Cloister.Host.Tests;

/// <summary>One call of DynamoDB's JSON 1.0 protocol, unsigned, to a table service the test started on loopback.</summary>
internal static class DynamoDbJson
{
    /// <summary>Posts <paramref name="body"/> as <paramref name="operation"/> to <paramref name="http"/>'s base address: the answer's status and body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
