using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Tables.Access;
using Cloister.Tables.Hosting;

namespace Cloister.Tables.Tests.Access;

/// <summary>Access control behind TLS: the origin still comes from the accepted socket, and aws:SecureTransport is true.</summary>
public sealed class AccessOverTlsTests
{
    [Fact]
    public async Task ListTables_OverHttps_OriginFromTheSocketAndSecureTransport()
    {
        using var certificate = TestCertificates.SelfSigned("dynamodb.us-east-1.amazonaws.com");
        var directory = Path.Combine(Path.GetTempPath(), "cloister-access-tls-" + Guid.NewGuid().ToString("N"));
        var origins = 0;
        var policy = AccessServer.Identity("""
            {"Effect":"Allow","Action":"dynamodb:ListTables","Resource":"*",
             "Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceVpce":"vpce-tls","aws:SourceVpc":"vpc-tls"},"IpAddress":{"aws:VpcSourceIp":"10.1.0.0/16"}}}
            """);
        var caller = new CallerIdentity(RequestPrincipal.Aws(AccessServer.SessionArn("Lister")), "AROALISTER:session", null, [policy], null, IsRoot: false);
        await using (var server = await TablesServer.StartAsync(new TablesServerOptions
        {
            DataDirectory = directory,
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Certificate = certificate,
            Access = new TablesAccess
            {
                Callers = key => key == "AKIDLISTER" ? caller : null,
                Origins = _ =>
                {
                    Interlocked.Increment(ref origins);
                    return new ServiceOrigin("vpc-tls", "vpce-tls", "10.1.2.3");
                },
            },
        }))
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert!.Thumbprint == certificate.Thumbprint };
            using var client = new HttpClient(handler) { BaseAddress = server.Urls[0] };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
            request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLISTER/20261123/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00");

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, origins);
        }

        Directory.Delete(directory, recursive: true);
    }
}
