using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.AccessControl;

/// <summary>A TOKEN authorizer and the integration as real Node.js functions, run by Cloister.Functions as processes over the Runtime API.</summary>
public sealed class RealAuthorizerTests : IAsyncLifetime
{
    private const string AuthorizerSource = """
        exports.handler = async (event) => {
          if (event.authorizationToken === "Bearer nobody") { throw new Error("Unauthorized"); }
          return {
            principalId: "user-" + event.authorizationToken.slice(7),
            policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: event.authorizationToken === "Bearer mallory" ? "Deny" : "Allow", Resource: event.methodArn }] },
            context: { plan: "gold", calls: 1, trace: process.env._X_AMZN_TRACE_ID },
          };
        };
        """;

    private const string EchoSource = """
        exports.handler = async (event) => ({
          statusCode: 200,
          body: JSON.stringify({ ...event.requestContext.authorizer, header: event.headers['X-Amzn-Trace-Id'], runtime: process.env._X_AMZN_TRACE_ID }),
        });
        """;

    private readonly RealLambda _functions = new();
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync()
    {
        await _functions.DeployNodeAsync(AuthorizerFunction, AuthorizerSource);
        await _functions.DeployNodeAsync("echo", EchoSource);
        var model = WithPlan(EchoApi(Allow, "CUSTOM", AuthorizerId), Plan()) with { Authorizers = [Authorizer(AuthorizerType.Token, "method.request.header.Authorization")] };
        _harness = await GatewayHarness.StartAsync(model, invoker: _functions.Invoker);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _functions.DisposeAsync();
    }

    [Fact]
    public async Task Invoke_RealAuthorizerAllowsDeniesAndRaisesUnauthorized_AsApiGateway()
    {
        var client = _harness.Client(GatewayHarness.EniA);
        Task<HttpResponseMessage> Get(string token) =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "Authorization", token } } });

        using var alice = await Get("Bearer alice");
        using var mallory = await Get("Bearer mallory");
        using var nobody = await Get("Bearer nobody");

        Assert.Equal(200, (int)alice.StatusCode);
        using var authorizer = JsonDocument.Parse(await alice.Content.ReadAsStringAsync());
        Assert.Equal("user-alice", authorizer.RootElement.GetProperty("principalId").GetString());
        Assert.Equal("gold", authorizer.RootElement.GetProperty("plan").GetString());
        Assert.Equal("1", authorizer.RootElement.GetProperty("calls").GetString());
        await Expect.ErrorAsync(mallory, 403, """{"Message":"User is not authorized to access this resource with an explicit deny"}""", "AccessDeniedException");
        await Expect.ErrorAsync(nobody, 401, """{"message":"Unauthorized"}""", "UnauthorizedException");
    }

    [Fact]
    public async Task Invoke_RealAuthorizerAndFunction_RunInTheTraceOfTheRequest()
    {
        // API Gateway passes the request's trace header (here the one it made) to the authorizer and to the integration.
        var client = _harness.Client(GatewayHarness.EniA);

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/pets") { Headers = { { "Authorization", "Bearer tracer" } } });

        Assert.Equal(200, (int)response.StatusCode);
        using var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var header = seen.RootElement.GetProperty("header").GetString()!;
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", header);
        Assert.StartsWith(header + ";", seen.RootElement.GetProperty("trace").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(header + ";", seen.RootElement.GetProperty("runtime").GetString(), StringComparison.Ordinal);
    }
}
