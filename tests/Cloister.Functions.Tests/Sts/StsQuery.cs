using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Cloister.Functions.Sts;
using Cloister.Functions.Tests.Support;

namespace Cloister.Functions.Tests.Sts;

/// <summary>STS's Query API called by hand, for what the AWS CLI will not send (parameters outside their constraints).</summary>
internal static class StsQuery
{
    /// <summary>POSTs <paramref name="form"/> to <paramref name="url"/>, trusting only <paramref name="certificate"/>, signed with <paramref name="key"/> and <see cref="TestCallers.Secret"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(Uri url, X509Certificate2 certificate, string key, string form)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Content.Headers.ContentType!.CharSet = null;
        Cloister.Gateway.Tests.Signing.TestSigner.Sign(request, key, TestCallers.Secret, null, TestCallers.Region, DateTimeOffset.UtcNow, "sts");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>An STS error document's type, code and message.</summary>
    public static (string? Type, string? Code, string? Message) Error(string xml)
    {
        XNamespace sts = StsHandler.Namespace;
        var error = XDocument.Parse(xml).Root!.Element(sts + "Error")!;
        return (error.Element(sts + "Type")?.Value, error.Element(sts + "Code")?.Value, error.Element(sts + "Message")?.Value);
    }
}
