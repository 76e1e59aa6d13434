using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.AccessControl;

/// <summary>Lambda authorizers, TOKEN and REQUEST (spec §2, §3): allow, deny, cache, missing identity, failures, and the resource policy around them.</summary>
public sealed class AuthorizerTests
{
    private static async Task<GatewayHarness> StartAsync(Authorizer authorizer, Func<JsonDocument, string> answer, string? policy = Allow, bool apiKeyRequired = false, string apiKeySource = "HEADER", ManualTime? time = null)
    {
        var model = WithPlan(EchoApi(policy, "CUSTOM", AuthorizerId, apiKeyRequired, apiKeySource), Plan());
        var harness = await GatewayHarness.StartAsync(model with { Authorizers = [authorizer] }, time: time);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (evt, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(answer(evt)))));
        return harness;
    }

    private static Task<HttpResponseMessage> GetAsync(GatewayHarness harness, string path = "pets", string? token = null, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/{path}{query}");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        return harness.Client(GatewayHarness.EniA).SendAsync(request);
    }

    private static int AuthorizerCalls(GatewayHarness harness) => harness.Lambda.Events.Count(e => e.Contains("\"methodArn\"", StringComparison.Ordinal));

    [Fact]
    public async Task Invoke_TokenAuthorizerAllows_PassesPrincipalAndContextToFunction()
    {
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), e => AuthorizerOutput("Allow", e.RootElement.GetProperty("methodArn").GetString()!));

        var response = await GetAsync(harness, token: "Bearer good");

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var authorizer = evt.RootElement.GetProperty("requestContext").GetProperty("authorizer");
        Assert.Equal("user-42", authorizer.GetProperty("principalId").GetString());
        Assert.Equal("acme", authorizer.GetProperty("tenant").GetString());
        Assert.Equal("3", authorizer.GetProperty("level").GetString());
        Assert.Equal("true", authorizer.GetProperty("admin").GetString());
        var tokenEvent = harness.Lambda.Events.First(e => e.Contains("\"TOKEN\"", StringComparison.Ordinal));
        Assert.Equal($$"""{"type":"TOKEN","authorizationToken":"Bearer good","methodArn":"{{MethodArn("pets")}}"}""", tokenEvent);
    }

    [Fact]
    public async Task Invoke_TokenAuthorizerDenies_ReturnsExplicitDenyMessage()
    {
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), e => AuthorizerOutput("Deny", e.RootElement.GetProperty("methodArn").GetString()!));

        var response = await GetAsync(harness, token: "Bearer bad");

        await Expect.ErrorAsync(response, 403, """{"Message":"User is not authorized to access this resource with an explicit deny"}""", "AccessDeniedException");
        Assert.Single(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_TokenMissing_Returns401WithoutInvoking()
    {
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), e => AuthorizerOutput("Allow", "*"));

        var response = await GetAsync(harness);

        await Expect.ErrorAsync(response, 401, """{"message":"Unauthorized"}""", "UnauthorizedException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_TokenFailsValidationExpression_Returns401WithoutInvoking()
    {
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization", validation: "Bearer [a-z]+"), e => AuthorizerOutput("Allow", "*"));

        var response = await GetAsync(harness, token: "Bearer 123");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Empty(harness.Lambda.Events);
    }

    [Theory]
    [InlineData("Bearer abc123", 200)]
    [InlineData("Bearer a-b", 401)]
    public async Task Invoke_ValidationExpressionInJavasSyntax_IsApplied(string token, int status)
    {
        // identityValidationExpression is a Java regular expression: POSIX classes (\p{Alnum}) and possessive
        // quantifiers (++) are Java's; .NET refused the pattern and the token went unchecked.
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization", validation: "Bearer \\p{Alnum}++"), e => AuthorizerOutput("Allow", "*"));

        var response = await GetAsync(harness, token: token);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status == 200 ? 1 : 0, AuthorizerCalls(harness));
    }

    [Fact]
    public async Task AccessLog_AuthorizerVariables_HaveTheAuthorizersLatencyAndStatus()
    {
        // "Variables for access logging": $context.authorizer.integrationLatency, .latency and .integrationStatus (the
        // status the Lambda authorizer returned). They were looked up in the authorizer's context map and wrote '-'.
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan());
        var format = "$context.authorizer.integrationLatency|$context.authorizer.latency|$context.authorizer.integrationStatus|$context.authorizer.tenant";
        model = model with
        {
            Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")],
            Stages = [.. model.Stages.Select(s => s with { AccessLog = new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", format) })],
        };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (evt, _) => Task.FromResult(new LambdaInvocationResult(
            LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", evt.RootElement.GetProperty("methodArn").GetString()!)))));

        var response = await GetAsync(harness, token: "Bearer good");
        await harness.Server.FlushAccessLogsAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var fields = Assert.Single(await File.ReadAllLinesAsync(harness.AccessLogPath())).Split('|');
        Assert.True(long.TryParse(fields[0], out var integrationLatency) && integrationLatency >= 0, fields[0]);
        Assert.True(long.TryParse(fields[1], out var latency) && latency >= integrationLatency, fields[1]);
        Assert.Equal(["200", "acme"], fields[2..]);
    }

    [Fact]
    public async Task Invoke_SameTokenTwice_SecondIsCacheHitUntilTtlPasses()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization", ttl: 60), e => AuthorizerOutput("Allow", MethodArn("*")), time: time);

        var first = await GetAsync(harness, token: "Bearer good");
        var cached = await GetAsync(harness, "toys", token: "Bearer good");
        var callsWhileCached = AuthorizerCalls(harness);
        var otherToken = await GetAsync(harness, token: "Bearer other");
        time.Advance(TimeSpan.FromSeconds(61));
        var expired = await GetAsync(harness, token: "Bearer good");

        Assert.All(new[] { first, cached, otherToken, expired }, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(1, callsWhileCached);
        Assert.Equal(3, AuthorizerCalls(harness));
    }

    [Fact]
    public async Task Invoke_CachedPolicyForOneMethod_DeniesAnotherMethod()
    {
        // As in API Gateway: the cached policy is evaluated again for each method ARN it is used on.
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), e => AuthorizerOutput("Allow", e.RootElement.GetProperty("methodArn").GetString()!));

        var pets = await GetAsync(harness, "pets", token: "Bearer good");
        var toys = await GetAsync(harness, "toys", token: "Bearer good");

        Assert.Equal(200, (int)pets.StatusCode);
        await Expect.ErrorAsync(toys, 403, """{"Message":"User is not authorized to access this resource"}""", "AccessDeniedException");
        Assert.Equal(1, AuthorizerCalls(harness));
    }

    [Fact]
    public async Task Invoke_SameTokenOnAnotherStage_InvokesAuthorizerForThatStage()
    {
        // API Gateway keeps authorizer results per stage (FlushStageAuthorizersCache flushes one stage's); a policy
        // an authorizer wrote for dev's method ARN says nothing about prod, whose own call may allow it.
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        model = model with { Stages = [.. model.Stages, model.Stages[0] with { StageName = "prod" }] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (e, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", e.RootElement.GetProperty("methodArn").GetString()!)))));
        var client = harness.Client(GatewayHarness.EniA);

        var dev = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "Authorization", "Bearer good" } } });
        var prod = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/prod/pets") { Headers = { { "Authorization", "Bearer good" } } });

        Assert.Equal(200, (int)dev.StatusCode);
        Assert.Equal(200, (int)prod.StatusCode);
        Assert.Equal(2, AuthorizerCalls(harness));
    }

    [Fact]
    public async Task Invoke_AuthorizerChangedByUpdate_DoesNotAnswerFromOldResult()
    {
        // A redeployment that points the authorizer at another function must not keep serving the old one's policy.
        var allowing = Authorizer(AuthorizerType.Token, "method.request.header.Authorization");
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [allowing] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", MethodArn("*"))))));
        harness.Lambda.Add("denier", (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Deny", MethodArn("*"))))));

        var before = await GetAsync(harness, token: "Bearer good");
        harness.Server.Update(Apis.PermittingApiGateway(model with { Authorizers = [allowing with { AuthorizerUri = Fakes.InProcessLambda.IntegrationUri("denier") }] }));
        var after = await GetAsync(harness, token: "Bearer good");

        Assert.Equal(200, (int)before.StatusCode);
        await Expect.ErrorAsync(after, 403, """{"Message":"User is not authorized to access this resource with an explicit deny"}""", "AccessDeniedException");
    }

    [Fact]
    public async Task Invoke_UnchangedAuthorizerAfterUpdate_StillAnswersFromCache()
    {
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), _ => AuthorizerOutput("Allow", MethodArn("*")));

        var before = await GetAsync(harness, token: "Bearer good");
        harness.Server.Update(Apis.PermittingApiGateway(model with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] }));
        var after = await GetAsync(harness, token: "Bearer good");

        Assert.Equal(200, (int)before.StatusCode);
        Assert.Equal(200, (int)after.StatusCode);
        Assert.Equal(1, AuthorizerCalls(harness));
    }

    [Fact]
    public async Task Invoke_AuthorizerUriNamesFunctionByStageVariable_InvokesTheStagesFunction()
    {
        // As serverless-aws-alias deploys them (function:${stageVariables.SERVERLESS_ALIAS}) and API Gateway runs them:
        // the authorizer's URI takes the stage's variables like an integration's.
        var permission = new Cloister.Model.Compute.PermissionStatement("Any", "lambda:InvokeFunction", "apigateway.amazonaws.com", null, null);
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with
        {
            Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization") with { AuthorizerUri = Fakes.InProcessLambda.IntegrationUri("${stageVariables.authFn}") }],
            Functions = [Apis.Function(AuthorizerFunction, permission), Apis.Function("echo", permission)],
        };
        model = model with { Stages = [.. model.Stages.Select(s => s with { Variables = s.Variables.Add("authFn", AuthorizerFunction) })] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", MethodArn("*"))))));

        var response = await GetAsync(harness, token: "Bearer good");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(1, AuthorizerCalls(harness));
    }

    /// <summary>
    /// <c>$context.authorizer.error</c> ("the error message returned from an authorizer"): the function's errorMessage when
    /// it failed, <c>-</c> in an access log when it answered or was never called.
    /// </summary>
    [Theory]
    [InlineData("""{"errorMessage":"Unauthorized","errorType":"Error"}""", "Bearer x", 401, "Unauthorized|401")]
    [InlineData("""{"errorMessage":"token expired","errorType":"Error"}""", "Bearer x", 500, "token expired|500")]
    [InlineData("""{"errorType":"Error"}""", "Bearer x", 500, "-|500")]
    [InlineData(null, "Bearer x", 200, "-|200")]
    [InlineData(null, null, 401, "-|401")]
    public async Task AccessLog_AuthorizerError_IsTheFunctionsErrorMessage(string? functionError, string? token, int status, string logged)
    {
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan());
        model = model with
        {
            Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")],
            Stages = [.. model.Stages.Select(s => s with { AccessLog = new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:access", "$context.authorizer.error|$context.status") })],
        };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (evt, _) => Task.FromResult(functionError is null
            ? new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", evt.RootElement.GetProperty("methodArn").GetString()!, context: """{"tenant":"acme"}""")))
            : new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, Encoding.UTF8.GetBytes(functionError))));

        var response = await GetAsync(harness, token: token);
        await harness.Server.FlushAccessLogsAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(logged, Assert.Single(await File.ReadAllLinesAsync(harness.AccessLogPath())));
    }

    [Fact]
    public async Task GatewayResponse_UnauthorizedTemplate_RendersAuthorizerError()
    {
        var unauthorized = new GatewayResponse("UNAUTHORIZED", "401", ImmutableDictionary<string, string>.Empty,
            ImmutableDictionary<string, string>.Empty.Add("application/json", """{"why":"$context.authorizer.error"}"""));
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId) with { GatewayResponses = [unauthorized] }, Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.Add(AuthorizerFunction, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, Encoding.UTF8.GetBytes("""{"errorMessage":"Unauthorized","errorType":"Error"}"""))));

        var response = await GetAsync(harness, token: "Bearer x");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("""{"why":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_FunctionRaisesUnauthorized_Returns401()
    {
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.Add(AuthorizerFunction, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, Encoding.UTF8.GetBytes("""{"errorMessage":"Unauthorized","errorType":"Error"}"""))));

        var response = await GetAsync(harness, token: "Bearer x");

        await Expect.ErrorAsync(response, 401, """{"message":"Unauthorized"}""", "UnauthorizedException");
    }

    [Fact]
    public async Task Invoke_AuthorizerFailsBehindDefault5xxOverrideWithoutTemplate_RendersNullMessageAsJson()
    {
        // The CORS pattern: DEFAULT_5XX given headers only. Its body comes from {"message":$context.error.messageString},
        // and an authorizer failure has no message: AWS's own body for it is {"message": null}, so messageString is null.
        var cors = new GatewayResponse("DEFAULT_5XX", null, ImmutableDictionary<string, string>.Empty.Add("gatewayresponse.header.Access-Control-Allow-Origin", "'*'"), ImmutableDictionary<string, string>.Empty);
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId) with { GatewayResponses = [cors] }, Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.Add(AuthorizerFunction, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.FunctionError, Encoding.UTF8.GetBytes("""{"errorMessage":"boom","errorType":"Error"}"""))));

        var response = await GetAsync(harness, token: "Bearer x");

        await Expect.ErrorAsync(response, 500, """{"message":null}""", "AuthorizerConfigurationException");
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Invoke_AuthorizerFunctionThrottled_Returns500AndLogsLambdasAnswer()
    {
        var logs = new RecordingLoggerFactory();
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        await using var harness = await GatewayHarness.StartAsync(model, configure: o => o with { LoggerFactory = logs });
        harness.Lambda.AddThrottled(AuthorizerFunction, "ConcurrentInvocationLimitExceeded");

        var response = await GetAsync(harness, token: "Bearer x");

        await Expect.ErrorAsync(response, 500, """{"message": null}""", "AuthorizerConfigurationException");
        Assert.Contains(logs.Messages, m => m.Contains(
            "the function could not be invoked: Lambda ServiceError 429 TooManyRequestsException (ConcurrentInvocationLimitExceeded)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"policyDocument":{"Version":"2012-10-17","Statement":[]}}""")]
    [InlineData("""{"principalId":"u","policyDocument":"not a policy"}""")]
    [InlineData("""{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]},"context":{"nested":{"a":1}}}""")]
    public async Task Invoke_MalformedAuthorizerOutput_Returns500NullMessage(string output)
    {
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), _ => output);

        var response = await GetAsync(harness, token: "Bearer x");

        await Expect.ErrorAsync(response, 500, """{"message": null}""", "AuthorizerConfigurationException");
    }

    [Fact]
    public async Task Invoke_RequestAuthorizer_GetsHeadersAndQueryAndCachesByBoth()
    {
        await using var harness = await StartAsync(
            Authorizer(AuthorizerType.Request, "method.request.header.Authorization, method.request.querystring.tenant"),
            e => AuthorizerOutput(e.RootElement.GetProperty("queryStringParameters").GetProperty("tenant").GetString() == "acme" ? "Allow" : "Deny", MethodArn("*")));

        var acme = await GetAsync(harness, token: "t", query: "?tenant=acme");
        var acmeAgain = await GetAsync(harness, token: "t", query: "?tenant=acme");
        var other = await GetAsync(harness, token: "t", query: "?tenant=other");
        var missing = await GetAsync(harness, token: "t");

        Assert.Equal(200, (int)acme.StatusCode);
        Assert.Equal(200, (int)acmeAgain.StatusCode);
        Assert.Equal(403, (int)other.StatusCode);
        Assert.Equal(401, (int)missing.StatusCode);
        Assert.Equal(2, AuthorizerCalls(harness));
        var requestEvent = JsonDocument.Parse(harness.Lambda.Events.First(e => e.Contains("\"REQUEST\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal("t", requestEvent.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("/pets", requestEvent.GetProperty("resource").GetString());
        Assert.Equal("/pets", requestEvent.GetProperty("path").GetString());
        Assert.Equal("/dev/pets", requestEvent.GetProperty("requestContext").GetProperty("path").GetString());
        Assert.False(requestEvent.GetProperty("requestContext").TryGetProperty("authorizer", out _));
        Assert.Equal(MethodArn("pets"), requestEvent.GetProperty("methodArn").GetString());
    }

    /// <summary>
    /// The method ARN of a request whose path has escapes is built from the path as sent, like the events' <c>path</c>
    /// (docs/gateway.md, "Path as sent"): a TOKEN authorizer gets the escapes, and the resource policy is matched on them.
    /// </summary>
    [Theory]
    [InlineData("test%2Balias%40x.com", "users/test%2Balias%40x.com")]
    [InlineData("a%20b", "users/a%20b")]
    [InlineData("%2F", "users/%2F")]
    [InlineData("a%2Fb", "users/a%2Fb")]
    [InlineData("caf%C3%A9", "users/caf%C3%A9")]
    [InlineData("a:b@c", "users/a:b@c")]
    public async Task Invoke_PathWithEscapes_MethodArnKeepsThemAsSent(string sent, string arnPath)
    {
        var api = Api(Allow, Resource("res0000003", "/users/{id}", Method("GET", LambdaProxy("echo")) with { AuthorizationType = "CUSTOM", AuthorizerId = AuthorizerId }));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] });
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (e, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", e.RootElement.GetProperty("methodArn").GetString()!)))));

        var response = await GetAsync(harness, "users/" + sent, "Bearer good");

        Assert.Equal(200, (int)response.StatusCode);
        using var tokenEvent = JsonDocument.Parse(harness.Lambda.Events.First(e => e.Contains("\"TOKEN\"", StringComparison.Ordinal)));
        Assert.Equal(MethodArn(arnPath), tokenEvent.RootElement.GetProperty("methodArn").GetString());
    }

    [Theory]
    [InlineData("a%20b", 403)]
    [InlineData("a b", 200)]
    public async Task Invoke_ResourcePolicyDeniesEscapedPath_MatchesTheArnAsSent(string deniedPath, int status)
    {
        var deny = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
              {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/dev/GET/users/{{deniedPath}}"}]}
            """;
        var api = Api(deny, Resource("res0000003", "/users/{id}", Method("GET", LambdaProxy("echo"))));
        await using var harness = await GatewayHarness.StartAsync(ModelOf(api));
        harness.Lambda.AddEcho("echo");

        var response = await GetAsync(harness, "users/a%20b");

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_ResourcePolicyExplicitDeny_RefusesBeforeAuthorizerRuns()
    {
        const string denyPets = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
              {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/dev/GET/pets"}]}
            """;
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), _ => AuthorizerOutput("Allow", "*"), denyPets);

        var response = await GetAsync(harness, token: "Bearer good");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "pets", explicitDeny: true), "AccessDeniedException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_NoResourcePolicyAllowButAuthorizerAllows_Succeeds()
    {
        // Same account: the authorizer's Allow is enough when the resource policy neither allows nor denies (spec §3).
        const string otherStage = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/*"}]}""";
        await using var harness = await StartAsync(Authorizer(AuthorizerType.Token, "method.request.header.Authorization"), _ => AuthorizerOutput("Allow", "*"), otherStage);

        var response = await GetAsync(harness, token: "Bearer good");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_ApiKeyFromAuthorizer_UsesUsageIdentifierKey()
    {
        await using var harness = await StartAsync(
            Authorizer(AuthorizerType.Token, "method.request.header.Authorization", ttl: 0),
            e => AuthorizerOutput("Allow", "*", usageIdentifierKey: e.RootElement.GetProperty("authorizationToken").GetString() == "good" ? KeyValue : "no-such-key-value-000000"),
            apiKeyRequired: true,
            apiKeySource: "AUTHORIZER");

        var good = await GetAsync(harness, token: "good");
        var bad = await GetAsync(harness, token: "bad");

        Assert.Equal(200, (int)good.StatusCode);
        using var evt = JsonDocument.Parse(await good.Content.ReadAsStringAsync());
        Assert.Equal(KeyValue, evt.RootElement.GetProperty("requestContext").GetProperty("identity").GetProperty("apiKey").GetString());
        await Expect.ErrorAsync(bad, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task AccessLog_AuthorizerAndKeyVariables_AreWritten()
    {
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId, apiKeyRequired: true), Plan());
        model = model with
        {
            Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")],
            Stages = [.. model.Stages.Select(s => s with { AccessLog = new AccessLogSetting("arn:aws:logs:us-east-1:123456789012:log-group:a", "$context.authorizer.principalId $context.authorizer.tenant $context.identity.apiKeyId $context.error.responseType") })],
        };
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (_, _) => Task.FromResult(new LambdaInvocationResult(LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", MethodArn("*"))))));
        var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "x-api-key", KeyValue }, { "Authorization", "t" } } };

        var ok = await harness.Client(GatewayHarness.EniA).SendAsync(request);
        var unauthorized = await GetAsync(harness);
        await harness.Server.FlushAccessLogsAsync();

        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal(401, (int)unauthorized.StatusCode);
        Assert.Equal(["user-42 acme key0000001 -", "- - - UNAUTHORIZED"], await File.ReadAllLinesAsync(harness.AccessLogPath()));
    }
}
