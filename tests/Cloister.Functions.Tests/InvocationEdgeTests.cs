using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>The invocation context headers and a caller leaving during a cold start, with a service of their own.</summary>
public sealed class InvocationEdgeTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state })
{
    [Fact]
    public async Task InvokeAsync_ClientContextAndIdentity_ReachTheHandler()
    {
        await DeployAsync("ctx", "nodejs20.x", "exports.handler = async (e, c) => ({ client: c.clientContext, identity: c.identity });");

        var result = await Service.InvokeAsync("ctx", "{}"u8.ToArray(), InvocationType.RequestResponse,
            new InvocationContext("""{"client":{"app_title":"claims"}}""", """{"cognitoIdentityId":"eu-central-1:abc"}"""));

        var json = Encoding.UTF8.GetString(result.Payload.Span);
        Assert.True(result.Succeeded, json);
        Assert.Contains("\"app_title\":\"claims\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cognitoIdentityId\":\"eu-central-1:abc\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NonAsciiClientContextOverLines_ReachesTheHandlerAsJson()
    {
        // Lambda passes the decoded client context as the header's UTF-8 bytes; line breaks (JSON whitespace) become spaces.
        await DeployAsync("utf8", "nodejs20.x", "exports.handler = async (e, c) => ({ client: c.clientContext, identity: c.identity });");

        var result = await Service.InvokeAsync("utf8", "{}"u8.ToArray(), InvocationType.RequestResponse, new InvocationContext(
            "{\n  \"custom\": {\"city\": \"Zürich ☃\"}\r\n}", """{"cognitoIdentityId":"eu-central-1:ñ"}"""));

        var json = Encoding.UTF8.GetString(result.Payload.Span);
        Assert.True(result.Succeeded, json);
        var body = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal("Zürich ☃", body.GetProperty("client").GetProperty("custom").GetProperty("city").GetString());
        Assert.Equal("eu-central-1:ñ", body.GetProperty("identity").GetProperty("cognitoIdentityId").GetString());
    }

    [Fact]
    public async Task InvokeAsync_CallerTraceHeader_RuntimeContinuesThatTrace()
    {
        // Invoke's X-Amzn-Trace-Id (what API Gateway sends): the function sees the caller's trace, as Lambda passes it on.
        await DeployAsync("traced", "nodejs20.x", "exports.handler = async () => process.env._X_AMZN_TRACE_ID;");

        var full = await Service.InvokeAsync("traced", "{}"u8.ToArray(), InvocationType.RequestResponse,
            new InvocationContext { TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1" });
        var rootOnly = await Service.InvokeAsync("traced", "{}"u8.ToArray(), InvocationType.RequestResponse,
            new InvocationContext { TraceHeader = "Root=1-67891233-abcdef012345678912345678" });
        var none = await Service.InvokeAsync("traced", "{}"u8.ToArray());

        Assert.Equal("\"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1\"", Encoding.UTF8.GetString(full.Payload.Span));
        Assert.Matches("^\"Root=1-67891233-abcdef012345678912345678;Parent=[0-9a-f]{16};Sampled=0\"$", Encoding.UTF8.GetString(rootOnly.Payload.Span));
        Assert.Matches("^\"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0\"$", Encoding.UTF8.GetString(none.Payload.Span));
        Assert.DoesNotContain("67891233-abcdef012345678912345678", Encoding.UTF8.GetString(none.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_EventWithTraceHeader_RunsInTheCallersTrace()
    {
        await DeployAsync("queued", "nodejs20.x", "exports.handler = async () => { console.log(`trace ${process.env._X_AMZN_TRACE_ID}`); };");

        var accepted = await Service.InvokeAsync("queued", "{}"u8.ToArray(), InvocationType.Event,
            new InvocationContext { TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" });

        Assert.Equal(202, accepted.StatusCode);
        var log = await LogContainingAsync("queued", "REPORT RequestId");
        Assert.Matches("trace Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1", log);
    }

    [Fact]
    public async Task InvokeAsync_CallerGivesUpDuringInit_EnvironmentServesTheNextInvocation()
    {
        // The init sleeps a second; the caller gives up once it is under way (its process started), not on a timer, which
        // a loaded machine could let run out before the invocation was even accepted.
        await DeployAsync(
            "patient",
            "nodejs20.x",
            "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);\nexports.handler = async () => 1;",
            reservedConcurrency: 1);
        using var impatient = new CancellationTokenSource();

        var invocation = Service.InvokeAsync("patient", "{}"u8.ToArray(), InvocationType.RequestResponse, impatient.Token).AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Service.ProcessIdsOf("patient").Count == 0 && !invocation.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        await impatient.CancelAsync();
        var first = await invocation;
        var second = await Service.InvokeAsync("patient", "{}"u8.ToArray());

        Assert.True(first.Succeeded, Encoding.UTF8.GetString(first.Payload.Span));
        Assert.True(second.Succeeded, Encoding.UTF8.GetString(second.Payload.Span));
        Assert.Single(Service.ProcessIdsOf("patient"));
    }

    private async Task DeployAsync(string name, string runtime, string inline, int? reservedConcurrency = null)
    {
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, runtime, "index.handler", null, inline, 128, 3, ImmutableDictionary<string, string>.Empty, null, reservedConcurrency));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }
}
