using System.Text;

namespace Cloister.Functions.Tests;

public sealed class PythonRuntimeTests(ServiceFixture fixture) : RuntimeTests(fixture)
{
    protected override string Runtime => "python3.12";

    protected override string Handler => "app.handler";

    protected override string CodePath => Path.Combine(ServiceFixture.FunctionsDirectory, "python");

    protected override string ThrownErrorType => "ValueError";

    [Fact]
    public async Task Invoke_MissingFunction_ReturnsHandlerNotFound()
    {
        var function = await Fixture.DeployAsync(Runtime, "app.nothing", CodePath);

        var result = await Fixture.InvokeAsync(function, "{}");

        var error = ServiceFixture.Json(result);
        Assert.Equal("Runtime.HandlerNotFound", error.GetProperty("errorType").GetString());
        Assert.Equal("Handler 'nothing' missing on module 'app'", error.GetProperty("errorMessage").GetString());
    }

    /// <summary>
    /// Lambda's Python runtime (awslambdaric) raises <c>RuntimeError: Failed to post invocation response</c> when the
    /// Runtime API refuses the response (413 over 6 MB) and does not catch it, so the runtime exits: the caller has
    /// <c>Function.ResponseSizeTooLarge</c>, and the next invocation finds a runtime started again.
    /// </summary>
    [Fact]
    public async Task Invoke_ResponseOver6MB_RuntimeExitsAsLambdasDoes()
    {
        var function = await DeployAsync();
        var pid = await PidAsync(function);

        await InvokeOver6MBAsync(function);

        Assert.True(await ServiceFixture.ProcessGoneAsync(pid), "the Python runtime went on after its response was refused");
        var log = await Fixture.LogMessagesAsync(function, l => l.Any(m => m.Contains("Failed to post invocation response", StringComparison.Ordinal)));
        Assert.Contains(log, m => m.Contains("RuntimeError: Failed to post invocation response", StringComparison.Ordinal));
        Assert.NotEqual(pid, await PidAsync(function));
    }

    [Fact]
    public async Task Invoke_InlineCode_RunsIndexPy()
    {
        var function = await Fixture.DeployAsync(Runtime, "index.handler", null, "def handler(event, context):\n    return {'fn': context.function_name}\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.Equal(function, ServiceFixture.Json(result).GetProperty("fn").GetString());
    }

    [Fact]
    public async Task Invoke_HandlerReturnsDecimals_EncodesThemAsJsonNumbers()
    {
        // boto3's DynamoDB numbers are Decimal; Lambda's marshaller writes them as they print.
        var function = await DeployInlineAsync(
            "from decimal import Decimal\n" +
            "def handler(event, context):\n" +
            "    return {'price': Decimal('1.50'), 'count': Decimal('3'), 'huge': Decimal('12345678901234567890.123')}\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("""{"price": 1.50, "count": 3, "huge": 12345678901234567890.123}""", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Invoke_HandlerReturnsBytes_PassesThemThroughAsTheyAre()
    {
        var function = await DeployInlineAsync("def handler(event, context):\n    return b'raw \\xff bytes'\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        byte[] expected = [.. "raw "u8, 0xff, .. " bytes"u8];
        Assert.Equal(expected, result.Payload.ToArray());
    }

    [Fact]
    public async Task Invoke_HandlerReturnsSomethingJsonCannotHold_ReturnsRuntimeMarshalError()
    {
        var function = await DeployInlineAsync("def handler(event, context):\n    return {'ids': {1, 2}}\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        var message = ServiceFixture.AssertFunctionError(result, "Runtime.MarshalError");
        Assert.Equal("Unable to marshal response: Object of type set is not JSON serializable", message);
        Assert.Empty(ServiceFixture.Json(result).GetProperty("stackTrace").EnumerateArray());
    }

    [Fact]
    public async Task Invoke_HandlerThrows_StackTraceStartsAtTheHandler()
    {
        var function = await DeployInlineAsync(
            "def check(event):\n" +
            "    raise KeyError('claimId')\n" +
            "def handler(event, context):\n" +
            "    check(event)\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        ServiceFixture.AssertFunctionError(result, "KeyError");
        var frames = ServiceFixture.Json(result).GetProperty("stackTrace").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Equal(2, frames.Count);
        Assert.Contains("index.py\", line 4, in handler", frames[0], StringComparison.Ordinal);
        Assert.Contains("index.py\", line 2, in check", frames[1], StringComparison.Ordinal);
        Assert.DoesNotContain(frames, f => f.Contains("bootstrap.py", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_NoClientContextOrIdentity_ContextHasCognitoIdentityWithNoneFields()
    {
        var function = await DeployInlineAsync(
            "def handler(event, context):\n" +
            "    i = context.identity\n" +
            "    return [type(i).__name__, i.cognito_identity_id, i.cognito_identity_pool_id, context.client_context]\n");

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("""["CognitoIdentity", null, null, null]""", Encoding.UTF8.GetString(result.Payload.Span));
    }

    [Fact]
    public async Task Invoke_ClientContextAndIdentity_AreObjectsAsOnLambda()
    {
        var function = await DeployInlineAsync(
            "def handler(event, context):\n" +
            "    c = context.client_context\n" +
            "    return {'types': [type(c).__name__, type(c.client).__name__], 'title': c.client.app_title,\n" +
            "            'installation': c.client.installation_id, 'custom': c.custom, 'env': c.env,\n" +
            "            'identity': context.identity.cognito_identity_id, 'pool': context.identity.cognito_identity_pool_id}\n");

        var result = await Fixture.Service.InvokeAsync(function, "{}"u8.ToArray(), InvocationType.RequestResponse, new InvocationContext(
            """{"client":{"app_title":"Schäden","installation_id":"i-1"},"custom":{"tenant":"zürich"},"env":{"locale":"de_CH"}}""",
            """{"cognitoIdentityId":"eu-central-1:abc","cognitoIdentityPoolId":"eu-central-1:pool"}"""));

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var body = ServiceFixture.Json(result);
        Assert.Equal(["ClientContext", "Client"], body.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Schäden", body.GetProperty("title").GetString());
        Assert.Equal("i-1", body.GetProperty("installation").GetString());
        Assert.Equal("zürich", body.GetProperty("custom").GetProperty("tenant").GetString());
        Assert.Equal("de_CH", body.GetProperty("env").GetProperty("locale").GetString());
        Assert.Equal("eu-central-1:abc", body.GetProperty("identity").GetString());
        Assert.Equal("eu-central-1:pool", body.GetProperty("pool").GetString());
    }

    private Task<string> DeployInlineAsync(string code) => Fixture.DeployAsync(Runtime, "index.handler", null, code);
}

