using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Model.Compute;
using Cloister.Model.Iam;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Lambda's resource-based policy on API Gateway's calls: without a permission for the calling method (or a role in the
/// integration's credentials that may invoke the function) API Gateway answers 500 and logs invalid permissions.
/// </summary>
public sealed class LambdaPermissionTests
{
    private const string Service = "apigateway.amazonaws.com";
    private const string ApiArn = $"arn:aws:execute-api:{Region}:{Account}:{ApiId}";
    private const string RoleArn = $"arn:aws:iam::{Account}:role/ApiGatewayInvoke";
    private const string InternalError = """{"message": "Internal server error"}""";

    private static RestApi ClaimApi(Integration? integration = null) =>
        Api(AllowFrom(VpceA),
            Resource("res0000001", "/claim", Method("POST", integration ?? LambdaProxy("echo"))),
            Resource("res0000002", "/claim/{id}", Method("GET", integration ?? LambdaProxy("echo"))));

    private static PermissionStatement Permission(string? sourceArn, string principal = Service, string action = "lambda:InvokeFunction", string? sourceAccount = null) =>
        new("EchoPermission", action, principal, sourceArn, sourceAccount);

    private static async Task<GatewayHarness> StartAsync(GatewayModel model, RecordingLoggerFactory? logs = null)
    {
        var harness = await GatewayHarness.StartAsync(model, configure: logs is null ? null : o => o with { LoggerFactory = logs });
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    /// <summary>GET /claim/c-17 through an AWS_PROXY integration whose credentials are <paramref name="credentials"/>, the role ApiGatewayInvoke having <paramref name="rolePolicy"/>.</summary>
    private static async Task<(int Status, int Invocations)> InvokeAsRoleAsync(string credentials, string rolePolicy, ImmutableDictionary<string, string> variables)
    {
        var integration = LambdaProxy("echo") with { Credentials = credentials };
        var model = ModelOf([ClaimApi(integration)], variables) with
        {
            Functions = [Function("echo")],
            Roles = [new IamRole("Role", "ApiGatewayInvoke", RoleArn, "AROAEXAMPLE000000001", [new RolePolicy("Invoke", rolePolicy)])],
        };
        await using var harness = await StartAsync(model);
        var response = await GetClaimAsync(harness);
        return ((int)response.StatusCode, harness.Lambda.Events.Count);
    }

    /// <summary>GET /pets with a bearer token, through a TOKEN authorizer whose function allows the method; the response and the invocations made.</summary>
    private static async Task<(HttpResponseMessage Response, int Invocations)> GetPetsThroughAllowingAuthorizerAsync(GatewayModel model)
    {
        await using var harness = await GatewayHarness.StartAsync(model);
        harness.Lambda.AddEcho("echo");
        harness.Lambda.Add(AuthorizerFunction, (evt, _) => Task.FromResult(new LambdaInvocationResult(
            LambdaInvocationStatus.Success, Encoding.UTF8.GetBytes(AuthorizerOutput("Allow", evt.RootElement.GetProperty("methodArn").GetString()!)))));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "good");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);
        return (response, harness.Lambda.Events.Count);
    }

    private static Task<HttpResponseMessage> GetClaimAsync(GatewayHarness harness) =>
        harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim/c-17");

    [Fact]
    public async Task Invoke_FunctionWithoutPermission_Answers500AndLogsInvalidPermissions()
    {
        var logs = new RecordingLoggerFactory();
        await using var harness = await StartAsync(ModelOf(ClaimApi()) with { Functions = [Function("echo")] }, logs);

        var response = await GetClaimAsync(harness);

        await Expect.ErrorAsync(response, 500, InternalError, "InternalServerErrorException");
        Assert.Empty(harness.Lambda.Events);
        Assert.Contains(logs.Messages, m => m.Contains("Execution failed due to configuration error: Invalid permissions on Lambda function", StringComparison.Ordinal)
            && m.Contains($"{ApiArn}/dev/GET/claim/{{id}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_FunctionNotInModel_Answers500()
    {
        await using var harness = await StartAsync(ModelOf(ClaimApi()) with { Functions = [Function("other", Permission(null))] });

        var response = await GetClaimAsync(harness);

        await Expect.ErrorAsync(response, 500, InternalError, "InternalServerErrorException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Theory]
    [InlineData($"{ApiArn}/prod/GET/claim/*")]
    [InlineData($"{ApiArn}/*/POST/claim/*")]
    [InlineData($"{ApiArn}/*/GET/claim")]
    [InlineData($"arn:aws:execute-api:{Region}:{Account}:z9y8x7w6v5/*/GET/claim/*")]
    [InlineData($"arn:aws:execute-api:eu-west-1:{Account}:{ApiId}/*/*")]
    public async Task Invoke_SourceArnOfAnotherStageMethodPathOrApi_Answers500(string sourceArn)
    {
        await using var harness = await StartAsync(ModelOf(ClaimApi()) with { Functions = [Function("echo", Permission(sourceArn))] });

        var response = await GetClaimAsync(harness);

        await Expect.ErrorAsync(response, 500, InternalError, "InternalServerErrorException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Theory]
    [InlineData($"{ApiArn}/*/GET/claim/*")]
    [InlineData($"{ApiArn}/dev/GET/claim/{{id}}")]
    [InlineData($"{ApiArn}/*/*")]
    [InlineData($"{ApiArn}/*")]
    [InlineData(null)]
    public async Task Invoke_PermissionMatchingTheMethod_Answers200(string? sourceArn)
    {
        await using var harness = await StartAsync(ModelOf(ClaimApi()) with { Functions = [Function("echo", Permission(sourceArn))] });

        var response = await GetClaimAsync(harness);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Single(harness.Lambda.Events);
    }

    [Theory]
    [InlineData("lambda:*", Service, Account, 200)]
    [InlineData("lambda:InvokeFunction", "s3.amazonaws.com", null, 500)]
    [InlineData("lambda:GetFunction", Service, null, 500)]
    [InlineData("lambda:InvokeFunction", Service, "999999999999", 500)]
    public async Task Invoke_PermissionActionPrincipalOrSourceAccount_DecidesAsLambda(string action, string principal, string? sourceAccount, int status)
    {
        var permission = Permission($"{ApiArn}/*/GET/claim/*", principal, action, sourceAccount);
        await using var harness = await StartAsync(ModelOf(ClaimApi()) with { Functions = [Function("echo", permission)] });

        var response = await GetClaimAsync(harness);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo"}]}""", 200, false)]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:other"}]}""", 500, false)]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}""", 500, false)]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo"}]}""", 200, true)]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:other"}]}""", 500, true)]
    public async Task Invoke_CredentialsRole_InvokesAsTheRoleWithoutPermission(string rolePolicy, int status, bool roleFromStageVariable)
    {
        // The stage variables reference ("AWS integration credentials"): arn:aws:iam::<account_id>:${stageVariables.<name>}.
        // Such an ARN was taken as written, a role no template declares, which Cloister lets do anything.
        var credentials = roleFromStageVariable ? $"arn:aws:iam::{Account}:role/${{stageVariables.invokeRole}}" : RoleArn;
        var variables = ImmutableDictionary<string, string>.Empty.Add("invokeRole", "ApiGatewayInvoke");

        var (actual, invocations) = await InvokeAsRoleAsync(credentials, rolePolicy, variables);

        Assert.Equal(status, actual);
        Assert.Equal(status == 200 ? 1 : 0, invocations);
    }

    [Theory]
    [InlineData("""["execute-api:Invoke","lambda:InvokeFunction"]""", 200)]
    [InlineData("\"execute-api:Invoke\"", 500)]
    public async Task Invoke_CallersOwnCredentialsWithSessionPolicy_InvokesOnlyWhatTheSessionPolicyAllows(string sessionActions, int status)
    {
        // Credentials arn:aws:iam::*:user/* invoke the function as the signed caller: a role session whose role may
        // invoke it, but whose session policy (AssumeRole's Policy) is what the session may do at most.
        var integration = LambdaProxy("echo") with { Credentials = "arn:aws:iam::*:user/*" };
        var api = Api(AllowFrom(VpceA), Resource("res0000002", "/claim/{id}", Method("GET", integration) with { AuthorizationType = "AWS_IAM" }));
        var role = Cloister.Policy.Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["execute-api:Invoke","lambda:InvokeFunction"],"Resource":"*"}]}""",
            new Cloister.Policy.PolicyParseOptions(Cloister.Policy.PolicyKind.Identity)).Policy!;
        var session = Cloister.Policy.Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{sessionActions}},"Resource":"*"}]}""",
            new Cloister.Policy.PolicyParseOptions(Cloister.Policy.PolicyKind.Identity)).Policy!;
        var caller = new Cloister.Policy.CallerIdentity(
            Cloister.Policy.RequestPrincipal.Aws($"arn:aws:sts::{Account}:assumed-role/Scoped/session"), "AROASCOPED:session", "scoped-secret", [role], null, IsRoot: false)
        { SessionPolicies = [session] };
        await using var harness = await GatewayHarness.StartAsync(
            ModelOf(api) with { Functions = [Function("echo")] }, configure: o => o with { Callers = key => key == "ASIASCOPED" ? caller : null });
        harness.Lambda.AddEcho("echo");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/claim/c-17");
        Cloister.Gateway.Tests.Signing.TestSigner.Sign(request, "ASIASCOPED", "scoped-secret", null, Region, DateTimeOffset.UtcNow);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status == 200 ? 1 : 0, harness.Lambda.Events.Count);
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:authorizer", 200)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:other", 500)]
    public async Task Authorize_AuthorizerCredentialsFromStageVariable_InvokesAsTheNamedRole(string allowedFunction, int status)
    {
        var rolePolicy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"{{allowedFunction}}"}]}""";
        var authorizer = Authorizer(AuthorizerType.Token, "method.request.header.Authorization") with
        {
            AuthorizerCredentials = $"arn:aws:iam::{Account}:role/${{stageVariables.authRole}}",
        };
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan());
        model = model with
        {
            Stages = [.. model.Stages.Select(s => s with { Variables = s.Variables.SetItem("authRole", "ApiGatewayInvoke") })],
            Authorizers = [authorizer],
            Functions = [Function("echo", Permission($"{ApiArn}/*/GET/pets")), Function(AuthorizerFunction)],
            Roles = [new IamRole("Role", "ApiGatewayInvoke", RoleArn, "AROAEXAMPLE000000001", [new RolePolicy("Invoke", rolePolicy)])],
        };

        var (response, _) = await GetPetsThroughAllowingAuthorizerAsync(model);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("payments", 200)]
    [InlineData("claims", 500)]
    public async Task Invoke_CredentialsRolePolicyOnPrincipalTag_DecidesByTheRolesTags(string team, int status)
    {
        // API Gateway's session of the Credentials role carried no tags, so an ABAC condition on aws:PrincipalTag
        // never matched there, though the same role's sessions elsewhere (functions, instances) carry the role's tags.
        var rolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"TEAM"},"Null":{"aws:TokenIssueTime":"false"}}}]}""".Replace("TEAM", team, StringComparison.Ordinal);
        var integration = LambdaProxy("echo") with { Credentials = RoleArn };
        var role = new IamRole("Role", "ApiGatewayInvoke", RoleArn, "AROAEXAMPLE000000001", [new RolePolicy("Invoke", rolePolicy)])
        {
            Tags = ImmutableDictionary<string, string>.Empty.Add("team", "payments"),
        };
        await using var harness = await StartAsync(ModelOf(ClaimApi(integration)) with { Functions = [Function("echo")], Roles = [role] });

        var response = await GetClaimAsync(harness);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_NonProxyIntegrationWithoutPermission_Answers500()
    {
        var integration = new Integration(IntegrationType.Aws, "POST", Fakes.InProcessLambda.IntegrationUri("echo"), "INTERNET", null, 29_000,
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty, "WHEN_NO_MATCH", [Response("200", null)]);
        await using var harness = await StartAsync(ModelOf(ClaimApi(integration)) with { Functions = [Function("echo", Permission($"{ApiArn}/*/POST/*"))] });

        var refused = await GetClaimAsync(harness);
        var allowed = await harness.Client(GatewayHarness.EniA).PostAsync($"https://{PrivateHost()}/dev/claim", new StringContent("{}", Encoding.UTF8, "application/json"));

        await Expect.ErrorAsync(refused, 500, InternalError, "InternalServerErrorException");
        Assert.Equal(200, (int)allowed.StatusCode);
    }

    [Theory]
    [InlineData(null, 500)]
    [InlineData($"{ApiArn}/*/GET/pets", 500)]
    [InlineData($"{ApiArn}/authorizers/{AuthorizerId}", 200)]
    [InlineData($"{ApiArn}/authorizers/*", 200)]
    public async Task Authorize_TokenAuthorizerFunctionPermission_DecidesBeforeTheFunctionRuns(string? authorizerSourceArn, int status)
    {
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        var authorizerPermissions = authorizerSourceArn is null ? [] : new[] { Permission(authorizerSourceArn) };

        var (response, invocations) = await GetPetsThroughAllowingAuthorizerAsync(model with
        {
            Functions = [Function("echo", Permission($"{ApiArn}/*/GET/pets")), Function(AuthorizerFunction, authorizerPermissions)],
        });

        if (status == 500)
        {
            await Expect.ErrorAsync(response, 500, """{"message": null}""", "AuthorizerConfigurationException");
            Assert.Equal(0, invocations);
        }
        else
        {
            Assert.Equal(200, (int)response.StatusCode);
            using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("user-42", evt.RootElement.GetProperty("requestContext").GetProperty("authorizer").GetProperty("principalId").GetString());
        }
    }
}
