using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Gateway.Lambda;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Model.Compute;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// AWS_PROXY through the real Lambda service: the gateway invokes a Node.js function running as its own
/// process over the Runtime API, as a deployed stack does.
/// </summary>
public sealed class RealFunctionTests : IAsyncLifetime
{
    private const string EchoSource = """
        exports.handler = async (event) => ({
          statusCode: 200,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            vpceId: event.requestContext.identity.vpceId,
            sourceIp: event.requestContext.identity.sourceIp,
            path: event.path,
            id: event.pathParameters.id,
            memberId: event.queryStringParameters.memberId,
            pid: process.pid,
          }),
        });
        """;

    // The trace the function runs in (its _X_AMZN_TRACE_ID) and the X-Amzn-Trace-Id header of its event.
    private const string TracedSource = """
        exports.handler = async (event) => ({
          statusCode: 200,
          body: JSON.stringify({ runtime: process.env._X_AMZN_TRACE_ID, header: event.headers['X-Amzn-Trace-Id'] }),
        });
        """;

    private readonly RealLambda _functions = new();
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync()
    {
        await _functions.DeployNodeAsync("echo", EchoSource);
        await _functions.DeployNodeAsync("fails", "exports.handler = async () => { throw new Error('boom'); };");
        await _functions.DeployNodeAsync("noop", "exports.handler = async () => 'done';");
        await _functions.DeployNodeAsync("traced", TracedSource);
        var api = Api(
            AllowFrom(VpceA),
            Resource("res0000001", "/claim/{id}", Method("GET", LambdaProxy("echo"))),
            Resource("res0000002", "/broken", Method("GET", LambdaProxy("fails"))),
            Resource("res0000003", "/traced", Method("GET", LambdaProxy("traced"))));
        _harness = await GatewayHarness.StartAsync(ModelOf(api), invoker: _functions.Invoker);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _functions.DisposeAsync();
    }

    [Fact]
    public async Task Invoke_RealNodeFunction_SeesEndpointAndClientAndStaysWarm()
    {
        var client = _harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne);

        using var first = await client.GetAsync($"https://{PrivateHost()}/dev/claim/c-1?memberId=m1");
        using var second = await client.GetAsync($"https://{PrivateHost()}/dev/claim/c-2?memberId=m2");

        Assert.Equal(200, (int)first.StatusCode);
        using var one = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var two = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(VpceA, one.RootElement.GetProperty("vpceId").GetString());
        Assert.Equal(GatewayHarness.ClientOne.ToString(), one.RootElement.GetProperty("sourceIp").GetString());
        Assert.Equal("/claim/c-1", one.RootElement.GetProperty("path").GetString());
        Assert.Equal("c-1", one.RootElement.GetProperty("id").GetString());
        Assert.Equal("m2", two.RootElement.GetProperty("memberId").GetString());
        Assert.Equal(one.RootElement.GetProperty("pid").GetInt32(), two.RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Invoke_RealFunctionThrows_Returns502InternalServerError()
    {
        var client = _harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne);

        using var response = await client.GetAsync($"https://{PrivateHost()}/dev/broken");

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("""{"message": "Internal server error"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_RequestWithoutTraceHeader_FunctionRunsInTheTraceOfItsEvent()
    {
        var client = _harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne);

        using var response = await client.GetAsync($"https://{PrivateHost()}/dev/traced");

        Assert.Equal(200, (int)response.StatusCode);
        using var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var header = seen.RootElement.GetProperty("header").GetString()!;
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", header);
        Assert.Matches($"^{header};Parent=[0-9a-f]{{16}};Sampled=0$", seen.RootElement.GetProperty("runtime").GetString()!);
    }

    [Fact]
    public async Task Invoke_ClientTraceHeader_FunctionRunsInTheClientsTrace()
    {
        var client = _harness.Client(GatewayHarness.EniA, GatewayHarness.ClientOne);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{PrivateHost()}/dev/traced");
        request.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");

        using var response = await client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        using var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", seen.RootElement.GetProperty("header").GetString());
        Assert.StartsWith("Root=1-5759e988-bd862e3fe1be46a994272793;", seen.RootElement.GetProperty("runtime").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_EventInvocation_AcceptedWithoutPayload()
    {
        var outcome = await _functions.Invoker.InvokeAsync(Fakes.InProcessLambda.Arn("noop"), "{}"u8.ToArray(), Ports.LambdaInvocationType.Event, null, CancellationToken.None);

        Assert.Equal(Ports.LambdaInvocationStatus.Accepted, outcome.Status);
        Assert.True(outcome.Payload.IsEmpty);
    }

    [Fact]
    public async Task InvokeAsync_ReservedConcurrencyZero_ServiceErrorCarriesLambdas429()
    {
        // Reserved concurrency 0 throttles every invocation: the port says Lambda's status and error type, which the
        // gateway logs (the client still gets 500).
        await _functions.DeployAsync(new LambdaFunction(
            "stopped", "stopped", "nodejs20.x", "index.handler", null, "exports.handler = async () => 'never';", 256, 10, ImmutableDictionary<string, string>.Empty, null, 0));

        var outcome = await _functions.Invoker.InvokeAsync(Fakes.InProcessLambda.Arn("stopped"), "{}"u8.ToArray(), Ports.LambdaInvocationType.RequestResponse, null, CancellationToken.None);

        Assert.Equal((Ports.LambdaInvocationStatus.ServiceError, 429, "TooManyRequestsException"), (outcome.Status, outcome.LambdaStatusCode, outcome.ErrorType));
    }

    [Theory]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:createClaim", "createClaim")]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:createClaim:live", "createClaim")]
    [InlineData("createClaim", "createClaim")]
    public void FunctionName_ArnOrName_GivesName(string arn, string expected)
    {
        Assert.Equal(expected, FunctionsLambdaInvoker.FunctionName(arn));
    }
}
