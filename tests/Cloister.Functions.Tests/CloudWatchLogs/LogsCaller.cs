using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Functions.Tests.Support;
using Cloister.Gateway.Tests.Signing;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>
/// Raw JSON 1.1 calls to a <see cref="LogsServer"/> over HTTPS, signed with SigV4 for <c>logs</c> at the time
/// <paramref name="now"/> says (the server checks signatures against its own clock), trusting only
/// <paramref name="certificate"/>.
/// </summary>
public sealed class LogsCaller(Func<Uri> url, X509Certificate2 certificate, string key, string region, Func<DateTimeOffset> now)
{
    public async Task<HttpResponseMessage> PostAsync(string operation, string input, bool sign = true)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, url()) { Content = new StringContent(input, Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", LogsHandler.TargetPrefix + operation);
        if (sign)
        {
            TestSigner.Sign(request, key, TestCallers.Secret, null, region, now(), "logs");
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>A call that must succeed, and its answer.</summary>
    public async Task<JsonDocument> CallAsync(string operation, string input)
    {
        using var response = await PostAsync(operation, input);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>A call that must be refused (400), and its error type and message.</summary>
    public async Task<(string? Type, string? Message)> ErrorAsync(string operation, string input)
    {
        using var response = await PostAsync(operation, input);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{operation}: {(int)response.StatusCode} {body}");
        using var error = JsonDocument.Parse(body);
        return (error.RootElement.GetProperty("__type").GetString(), error.RootElement.GetProperty("message").GetString());
    }

    /// <summary>The messages of a GetLogEvents or FilterLogEvents answer, in order.</summary>
    public static List<string?> Messages(JsonDocument answer) =>
        [.. answer.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString())];
}
