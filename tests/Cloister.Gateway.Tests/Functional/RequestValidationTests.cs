using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>Request validators over real HTTPS: required parameters, bodies against models, and where validation sits in the pipeline.</summary>
public sealed class RequestValidationTests
{
    private const string PetSchema = """{"type":"object","required":["name","age"],"properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},"additionalProperties":false}""";
    private const string MissingParameters = """{"message":"Missing required request parameters: [x-tenant, limit]"}""";
    private const string InvalidBody = """{"message":"Invalid request body"}""";

    private static readonly ImmutableDictionary<string, bool> PetParameters = ImmutableDictionary<string, bool>.Empty
        .Add("method.request.querystring.limit", true)
        .Add("method.request.header.x-tenant", true)
        .Add("method.request.path.id", true)
        .Add("method.request.querystring.optional", false);

    /// <summary><c>POST /pets/{id}</c> echoing its event, checked by a validator with the given flags; the body model is <c>Pet</c> for <paramref name="contentType"/>.</summary>
    private static RestApi PetApi(bool body, bool parameters, string contentType = "application/json", bool apiKeyRequired = false) =>
        Api(
            Allow,
            Resource("res0000001", "/pets"),
            Resource("res0000002", "/pets/{id}", Method("POST", LambdaProxy("echo")) with
            {
                RequestParameters = PetParameters,
                RequestValidatorId = "val001",
                RequestModels = ImmutableDictionary<string, string>.Empty.Add(contentType, "Pet"),
                ApiKeyRequired = apiKeyRequired,
            }))
        with
        {
            Models = [new ApiModel("Pet", "application/json", PetSchema)],
            RequestValidators = [new RequestValidator("val001", "checks", body, parameters)],
        };

    private static async Task<GatewayHarness> StartAsync(RestApi api, AccessLogSetting? accessLog = null)
    {
        var harness = await GatewayHarness.StartAsync(ModelOf([api], ImmutableDictionary<string, string>.Empty, accessLog));
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    private static Task<HttpResponseMessage> PostAsync(GatewayHarness harness, string body, string query = "?limit=5", string? tenant = "acme", string? contentType = "application/json", string id = "7")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/pets/{id}{query}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant", tenant);
        }

        return harness.Client(GatewayHarness.EniA).SendAsync(request);
    }

    [Fact]
    public async Task Invoke_ValidParametersAndBody_ReachesFunction()
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: true));

        var response = await PostAsync(harness, """{"name":"Rex","age":3}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Single(harness.Lambda.Events);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?limit=", "")]
    [InlineData("?limit=%20", " ")]
    public async Task Invoke_RequiredQueryAndHeaderMissingOrBlank_Returns400MissingParameters(string query, string? tenant)
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: true));

        var response = await PostAsync(harness, """{"name":"Rex","age":3}""", query, tenant);

        // Listed in the order of their keys: header before querystring.
        await Expect.ErrorAsync(response, 400, MissingParameters, "BadRequestException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_HeaderNameInOtherCase_CountsAsPresent()
    {
        await using var harness = await StartAsync(PetApi(body: false, parameters: true));
        var request = new HttpRequestMessage(HttpMethod.Post, $"https://{PrivateHost()}/dev/pets/7?limit=1") { Content = new StringContent("{}") };
        request.Headers.Add("X-TENANT", "acme");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_QueryNameInOtherCase_Returns400()
    {
        await using var harness = await StartAsync(PetApi(body: false, parameters: true));

        var response = await PostAsync(harness, "{}", "?LIMIT=1");

        await Expect.ErrorAsync(response, 400, """{"message":"Missing required request parameters: [limit]"}""", "BadRequestException");
    }

    [Fact]
    public async Task Invoke_RequiredPathParameterBound_CountsAsPresent()
    {
        var api = PetApi(body: false, parameters: true);
        await using var harness = await StartAsync(api);

        var response = await PostAsync(harness, "{}", id: "rex");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"Rex","age":"three"}""", """[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]""")]
    [InlineData("""{"name":"Rex"}""", """[object has missing required properties (["age"])]""")]
    [InlineData("""{"name":"Rex","age":-1,"color":"red"}""", """[object instance has properties which are not allowed by the schema: ["color"]]""")]
    [InlineData("", """[object has missing required properties (["name","age"])]""")]
    [InlineData("{not json", "[the body is not valid JSON (line 1, byte 2)]")]
    public async Task Invoke_BodyNotMatchingModel_Returns400InvalidBodyWithDetailInAccessLog(string body, string detail)
    {
        var log = new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", "$context.error.responseType|$context.error.validationErrorString");
        await using var harness = await StartAsync(PetApi(body: true, parameters: true), log);

        var response = await PostAsync(harness, body);

        await Expect.ErrorAsync(response, 400, InvalidBody, "BadRequestException");
        Assert.Empty(harness.Lambda.Events);
        await harness.Server.FlushAccessLogsAsync();
        Assert.Equal($"BAD_REQUEST_BODY|{detail}", (await File.ReadAllTextAsync(harness.AccessLogPath())).TrimEnd('\n'));
    }

    [Fact]
    public async Task Invoke_ParametersOnlyValidator_LetsInvalidBodyThrough()
    {
        await using var harness = await StartAsync(PetApi(body: false, parameters: true));

        var response = await PostAsync(harness, """{"age":"old"}""");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_BodyOnlyValidator_LetsMissingParametersThrough()
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: false));

        var valid = await PostAsync(harness, """{"name":"Rex","age":3}""", query: string.Empty, tenant: null);
        var invalid = await PostAsync(harness, """{"name":"Rex"}""", query: string.Empty, tenant: null);

        Assert.Equal(200, (int)valid.StatusCode);
        await Expect.ErrorAsync(invalid, 400, InvalidBody, "BadRequestException");
    }

    [Fact]
    public async Task Invoke_ParametersMissingAndBodyInvalid_ReportsParametersFirst()
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: true));

        var response = await PostAsync(harness, "[]", query: string.Empty, tenant: null);

        await Expect.ErrorAsync(response, 400, MissingParameters, "BadRequestException");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    public async Task Invoke_ContentTypeAbsentOrJsonVariant_ValidatesAgainstJsonModel(string? contentType)
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: false));

        var response = await PostAsync(harness, """{"name":"Rex"}""", contentType: contentType);

        await Expect.ErrorAsync(response, 400, InvalidBody, "BadRequestException");
    }

    [Fact]
    public async Task Invoke_ContentTypeWithoutModel_SkipsBodyValidation()
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: false));

        var response = await PostAsync(harness, "<pet/>", contentType: "application/xml");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_DefaultModel_ValidatesEveryContentType()
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: false, contentType: "$default"));

        var response = await PostAsync(harness, "<pet/>", contentType: "application/xml");

        await Expect.ErrorAsync(response, 400, InvalidBody, "BadRequestException");
    }

    [Fact]
    public async Task Invoke_MissingApiKeyAndInvalidRequest_ApiKeyCheckedFirst()
    {
        await using var harness = await StartAsync(PetApi(body: true, parameters: true, apiKeyRequired: true));

        var response = await PostAsync(harness, "[]", query: string.Empty, tenant: null);

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    /// <summary>
    /// AWS's validator (java-json-tools) checks a schema's keywords in alphabetical order, then the members of an
    /// object in sorted order, and goes down into members only while nothing has failed yet.
    /// </summary>
    [Theory]
    [InlineData("""{"age":"x","zeta":1}""", """[object instance has properties which are not allowed by the schema: ["zeta"], object has missing required properties (["name"])]""")]
    [InlineData("""{"name":1,"age":-1}""", """[numeric instance is lower than the required minimum (minimum: 0, found: -1), instance type (integer) does not match any allowed primitive type (allowed: ["string"])]""")]
    public async Task Invoke_SeveralProblems_ValidationErrorStringInAwsOrder(string body, string expected)
    {
        var api = PetApi(body: true, parameters: false) with
        {
            GatewayResponses =
            [
                new GatewayResponse("BAD_REQUEST_BODY", null, ImmutableDictionary<string, string>.Empty,
                    ImmutableDictionary<string, string>.Empty.Add("application/json", "$context.error.validationErrorString")),
            ],
        };
        await using var harness = await StartAsync(api);

        var response = await PostAsync(harness, body);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_PropertiesNotAllowed_ValidationErrorStringListsThemSorted()
    {
        // java-json-tools' additionalProperties validator sorts the unwanted names (Ordering.natural), whatever the body's order.
        var api = PetApi(body: true, parameters: false) with
        {
            GatewayResponses =
            [
                new GatewayResponse("BAD_REQUEST_BODY", null, ImmutableDictionary<string, string>.Empty,
                    ImmutableDictionary<string, string>.Empty.Add("application/json", "$context.error.validationErrorString")),
            ],
        };
        await using var harness = await StartAsync(api);

        var response = await PostAsync(harness, """{"name":"Rex","age":3,"zeta":1,"Beta":2,"alpha":3}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("""[object instance has properties which are not allowed by the schema: ["Beta","alpha","zeta"]]""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_GatewayResponseOverride_RendersValidationErrorString()
    {
        var api = PetApi(body: true, parameters: true) with
        {
            GatewayResponses =
            [
                new GatewayResponse("BAD_REQUEST_BODY", "422", ImmutableDictionary<string, string>.Empty,
                    ImmutableDictionary<string, string>.Empty.Add("application/json", "{\"detail\":\"$context.error.validationErrorString\"}")),
            ],
        };
        await using var harness = await StartAsync(api);

        var response = await PostAsync(harness, """{"name":1,"age":2}""");

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("""{"detail":"[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]"}""", await response.Content.ReadAsStringAsync());
    }
}
