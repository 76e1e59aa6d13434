using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// <c>contentHandling</c> over real HTTPS, row by row of the developer guide's "Content type conversions in API Gateway"
/// tables: requests toward an HTTP backend and a non-proxy Lambda function, responses from an HTTP backend, a Lambda
/// function and MOCK, with the API's binary media types and the client's <c>Content-Type</c> and <c>Accept</c>.
/// </summary>
public sealed class ContentHandlingTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0x10];
    private static readonly string PngBase64 = Convert.ToBase64String(Png);

    private static RestApi ApiWith(Integration integration, params string[] binaryMediaTypes) =>
        Api(AllowFrom(VpceA), Resource("res0000001", "/files", Method("POST", integration), Method("GET", integration))) with { BinaryMediaTypes = [.. binaryMediaTypes] };

    private static Integration HttpTo(RecordingBackend backend, string query, ContentHandling request, ContentHandling response) =>
        Http(IntegrationType.Http, "POST", $"http://127.0.0.1:{backend.Port}/store{query}", 29_000, ImmutableDictionary<string, string>.Empty,
            Response("200", null) with { ContentHandling = response }) with
        { ContentHandling = request };

    [Theory]
    [InlineData("application/octet-stream", ContentHandling.ConvertToText, "base64")]
    [InlineData("application/octet-stream", ContentHandling.ConvertToBinary, "bytes")]
    [InlineData("application/octet-stream", ContentHandling.Passthrough, "bytes")]
    [InlineData("text/plain", ContentHandling.ConvertToBinary, "decoded")]
    [InlineData("text/plain", ContentHandling.ConvertToText, "text")]
    [InlineData("text/plain", ContentHandling.Passthrough, "text")]
    public async Task Http_RequestContentHandling_ConvertsAsTheRequestTable(string contentType, ContentHandling handling, string expected)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var api = ApiWith(HttpTo(backend, string.Empty, handling, ContentHandling.Passthrough), "application/octet-stream");
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        var sent = contentType == "text/plain" ? Encoding.ASCII.GetBytes(PngBase64) : Png;

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(PostBytes("/files", sent, contentType));

        Assert.Equal(200, (int)response.StatusCode);
        var received = Convert.FromBase64String(backend.Requests.Single().GetProperty("bodyBase64").GetString()!);
        var want = expected switch
        {
            "base64" => Encoding.ASCII.GetBytes(PngBase64),
            "bytes" or "decoded" => Png,
            _ => sent,
        };
        Assert.Equal(want, received);
        Assert.StartsWith(contentType, backend.Requests.Single().GetProperty("contentType").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_ConvertToBinaryWithTextThatIsNotBase64_Answers500WithoutCallingTheBackend()
    {
        await using var backend = await RecordingBackend.StartAsync();
        var api = ApiWith(HttpTo(backend, string.Empty, ContentHandling.ConvertToBinary, ContentHandling.Passthrough));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(PostBytes("/files", "not base64!"u8.ToArray(), "text/plain"));

        await Expect.ErrorAsync(response, 500, Expect.InternalServerError, "InternalServerErrorException");
        Assert.Empty(backend.Requests);
    }

    [Theory]
    [InlineData("image/png", ContentHandling.Passthrough, "bytes")]
    [InlineData("application/json", ContentHandling.Passthrough, "base64")]
    [InlineData("application/json", ContentHandling.ConvertToBinary, "bytes")]
    [InlineData("image/png", ContentHandling.ConvertToText, "base64")]
    [InlineData("image/png, application/json", ContentHandling.Passthrough, "bytes")]
    [InlineData("application/json, image/png", ContentHandling.Passthrough, "base64")]
    public async Task Http_BinaryBackendResponse_ConvertsAsTheResponseTable(string accept, ContentHandling handling, string expected)
    {
        await using var backend = await RecordingBackend.StartAsync();
        var query = $"?reply={Uri.EscapeDataString(PngBase64)}&replyType=image%2Fpng";
        var api = ApiWith(HttpTo(backend, query, ContentHandling.Passthrough, handling), "image/png");
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/files");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected == "bytes" ? Png : Encoding.ASCII.GetBytes(PngBase64), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("image/png", ContentHandling.Passthrough, true)]
    [InlineData("application/json", ContentHandling.ConvertToBinary, true)]
    [InlineData("application/json", ContentHandling.Passthrough, false)]
    [InlineData("image/png", ContentHandling.ConvertToText, false)]
    public async Task Mock_TextTemplateOutput_DecodedWhenTheClientIsMeantToGetBinary(string accept, ContentHandling handling, bool decoded)
    {
        var integration = Mock("""{"statusCode": 200}""", Response("200", null, PngBase64) with { ContentHandling = handling });
        var api = ApiWith(integration, "image/png");
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/files");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(decoded ? Png : Encoding.ASCII.GetBytes(PngBase64), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mock_StaticTemplateThatIsNotBase64ConvertedToBinary_Answers500()
    {
        var integration = Mock("""{"statusCode": 200}""", Response("200", null, "plain words") with { ContentHandling = ContentHandling.ConvertToBinary });
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ApiWith(integration)));

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/files"));

        await Expect.ErrorAsync(response, 500, Expect.InternalServerError, "InternalServerErrorException");
    }

    [Fact]
    public async Task Aws_BinaryRequestConvertedToTextAndBase64ResultToBinary_RoundTripsThroughTheFunction()
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("thumbs"), "INTERNET", null, 29_000,
            ImmutableDictionary<string, string>.Empty,
            ImmutableDictionary<string, string>.Empty.Add("image/png", """{"data": "$input.body"}"""),
            "WHEN_NO_MATCH",
            [Response("200", null) with { ContentHandling = ContentHandling.ConvertToBinary }])
        { ContentHandling = ContentHandling.ConvertToText };
        await using var harness = await GatewayHarness.StartAsync(ModelOf(ApiWith(integration, "image/png")));
        harness.Lambda.Add("thumbs", (evt, _) =>
        {
            // The function gets the image as base64 text and answers with it as a JSON string, as a Node function returning
            // buffer.toString('base64') does.
            var data = evt.RootElement.GetProperty("data").GetString()!;
            return Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, JsonSerializer.SerializeToUtf8Bytes(data)));
        });

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(PostBytes("/files", Png, "image/png"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(PngBase64, JsonDocument.Parse(harness.Lambda.Events.Single()).RootElement.GetProperty("data").GetString());
    }

    private static HttpRequestMessage PostBytes(string path, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev{path}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return request;
    }
}
