using System.Text;
using System.Text.Json;
using Cloister.Lambda.RuntimeClient.ApiGateway;

namespace Cloister.Functions.Tests;

/// <summary>provided.al2023 with a C# bootstrap built on Cloister.Lambda.RuntimeClient.</summary>
public sealed class ProvidedRuntimeTests(ServiceFixture fixture) : RuntimeTests(fixture)
{
    /// <summary>The bootstrap folder, in the fixture's temporary root so it goes with it.</summary>
    private string Bootstrap
    {
        get
        {
            // The bootstrap of a real deployment is the published program itself; here it execs the test build's apphost.
            var dir = Path.Combine(Fixture.Root, "provided-bootstrap");
            var script = Path.Combine(dir, "bootstrap");
            if (!File.Exists(script))
            {
                Directory.CreateDirectory(dir);
                File.WriteAllText(script, $"#!/bin/sh\nexec \"{Path.Combine(ServiceFixture.TestFunctionDirectory, "Cloister.Functions.TestFunction")}\"\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            return dir;
        }
    }

    protected override string Runtime => "provided.al2023";

    protected override string Handler => "bootstrap.handler";

    protected override string CodePath => Bootstrap;

    protected override string ThrownErrorType => "InvalidOperationException";

    [Fact]
    public async Task Invoke_ApiGatewayProxyEvent_ReturnsProxyResponse()
    {
        var function = await DeployAsync();
        var request = new ApiGatewayProxyRequest
        {
            Resource = "/claim/{id}",
            Path = "/claim/42",
            HttpMethod = "POST",
            Headers = new() { ["Host"] = "abc123.execute-api.eu-central-1.amazonaws.com" },
            MultiValueHeaders = new() { ["Host"] = ["abc123.execute-api.eu-central-1.amazonaws.com"] },
            PathParameters = new() { ["id"] = "42" },
            Body = """{"amount":10}""",
            RequestContext = new ApiGatewayProxyRequestContext
            {
                AccountId = "123456789012",
                ApiId = "abc123",
                HttpMethod = "POST",
                Path = "/dev/claim/42",
                Stage = "dev",
                RequestTimeEpoch = 1_700_000_000_000,
                Identity = new ApiGatewayProxyRequestIdentity { SourceIp = "172.128.1.7", VpceId = "vpce-0123456789abcdef0", VpcId = "vpc-0123456789abcdef0" },
            },
        };

        var result = await Fixture.Service.InvokeAsync(function, JsonSerializer.SerializeToUtf8Bytes(request, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest));

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var response = JsonSerializer.Deserialize(result.Payload.Span, ApiGatewayJsonContext.Default.ApiGatewayProxyResponse)!;
        Assert.Equal(201, response.StatusCode);
        Assert.Equal("application/json", response.Headers!["Content-Type"]);
        var body = JsonDocument.Parse(response.Body!).RootElement;
        Assert.Equal("POST", body.GetProperty("method").GetString());
        Assert.Equal("/claim/42", body.GetProperty("path").GetString());
        Assert.Equal("42", body.GetProperty("id").GetString());
        Assert.Equal("172.128.1.7", body.GetProperty("sourceIp").GetString());
        Assert.Equal("vpce-0123456789abcdef0", body.GetProperty("vpceId").GetString());
        Assert.Equal("""{"amount":10}""", body.GetProperty("body").GetString());
        Assert.Equal(result.RequestId, body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Invoke_ShellBootstrapWithCurl_SeesRuntimeApiHeaders()
    {
        var function = await Fixture.DeployAsync("provided.al2", "unused", Path.Combine(ServiceFixture.FunctionsDirectory, "shell"));
        var before = DateTimeOffset.UtcNow;

        var result = await Fixture.InvokeAsync(function, """{"n":1}""");

        var after = DateTimeOffset.UtcNow;
        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var body = ServiceFixture.Json(result);
        Assert.Equal(1, body.GetProperty("event").GetProperty("n").GetInt32());
        Assert.Equal(result.RequestId, body.GetProperty("id").GetString());
        Assert.Equal($"arn:aws:lambda:eu-central-1:123456789012:function:{function}", body.GetProperty("arn").GetString());
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(body.GetProperty("deadline").GetInt64());
        // The function's 3 s from when the invocation started, which lies between the two readings; bounding the time left
        // when the test reads it instead failed whenever a loaded machine took over 2 s to run the invocation.
        Assert.InRange(deadline, before.AddSeconds(3).AddMilliseconds(-10), after.AddSeconds(3));
    }

    [Fact]
    public async Task Invoke_MissingBootstrap_ReturnsInvalidEntrypoint()
    {
        var empty = Path.Combine(Fixture.Root, "empty");
        Directory.CreateDirectory(empty);
        var function = await Fixture.DeployAsync("provided.al2023", "x", empty);

        var result = await Fixture.InvokeAsync(function, "{}");

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Runtime.InvalidEntrypoint", ServiceFixture.Json(result).GetProperty("errorType").GetString());
    }
}
