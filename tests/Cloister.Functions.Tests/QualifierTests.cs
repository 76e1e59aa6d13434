using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Invoking an alias or a version: it runs in that version's environments, which see the version's number and the ARN
/// as invoked; an unknown qualifier is Lambda's 404.
/// </summary>
public sealed class QualifierTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const string Code = """
        exports.handler = async (event, context) => ({
          arn: context.invokedFunctionArn,
          version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
          stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
          greeting: process.env.GREETING,
        });
        """;

    /// <summary>A node function with version 1 (greeting "published") and alias live on it; $LATEST greets "latest".</summary>
    private async Task<string> DeployAsync()
    {
        var name = "qualified-" + Guid.NewGuid().ToString("N")[..12];
        var latest = new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, Code, 256, 10,
            ImmutableDictionary<string, string>.Empty.Add("GREETING", "latest"), null, null);
        var published = latest with { Environment = ImmutableDictionary<string, string>.Empty.Add("GREETING", "published") };
        var result = await fixture.Service.DeployAsync(latest with
        {
            Versions = [new FunctionVersion("V1", "1", null, published)],
            Aliases = [new FunctionAlias("Live", "live", "1", null), new FunctionAlias("Head", "head", "$LATEST", null)],
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return name;
    }

    private static string Arn(string name) => $"arn:aws:lambda:eu-central-1:123456789012:function:{name}";

    [Fact]
    public async Task InvokeAsync_Alias_RunsItsVersionWithTheAliasArnAndVersionNumber()
    {
        var name = await DeployAsync();

        var result = await fixture.InvokeAsync(name + ":live", "{}");

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("1", result.ExecutedVersion);
        var body = ServiceFixture.Json(result);
        Assert.Equal((Arn(name) + ":live", "1", "published"), (body.GetProperty("arn").GetString(), body.GetProperty("version").GetString(), body.GetProperty("greeting").GetString()));
        var stream = body.GetProperty("stream").GetString()!;
        Assert.Matches(@"^\d{4}/\d{2}/\d{2}/\[1\][0-9a-f]{32}$", stream);
        var events = await fixture.LogEventsAsync(name, m => m.Any(l => l.StartsWith("REPORT", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Message == $"START RequestId: {result.RequestId} Version: 1" && e.Stream == stream);
    }

    [Theory]
    [InlineData(":1", null, "1", "published", ":1")]
    [InlineData(":$LATEST", null, "$LATEST", "latest", ":$LATEST")]
    [InlineData("", null, "$LATEST", "latest", "")]
    [InlineData("", "live", "1", "published", ":live")]
    [InlineData(":head", null, "$LATEST", "latest", ":head")]
    public async Task InvokeAsync_QualifierInAnyForm_RunsThatVersion(string suffix, string? qualifier, string version, string greeting, string arnSuffix)
    {
        var name = await DeployAsync();

        var result = await fixture.Service.InvokeAsync(Arn(name) + suffix, qualifier, "{}"u8.ToArray(), InvocationType.RequestResponse, InvocationContext.None);

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var body = ServiceFixture.Json(result);
        Assert.Equal((version, greeting, Arn(name) + arnSuffix), (body.GetProperty("version").GetString(), body.GetProperty("greeting").GetString(), body.GetProperty("arn").GetString()));
        Assert.Equal(version, result.ExecutedVersion);
    }

    [Fact]
    public async Task InvokeAsync_UnknownQualifier_Is404WithTheQualifiedArn()
    {
        var name = await DeployAsync();

        var result = await fixture.InvokeAsync($"123456789012:function:{name}:nope", "{}");

        Assert.Equal((404, "ResourceNotFoundException"), (result.StatusCode, result.ServiceErrorType));
        Assert.Equal($"Function not found: {Arn(name)}:nope", ServiceFixture.Json(result).GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvokeAsync_QualifierDisagreesWithTheName_Is400()
    {
        var name = await DeployAsync();

        var result = await fixture.Service.InvokeAsync(name + ":live", "1", "{}"u8.ToArray(), InvocationType.RequestResponse, InvocationContext.None);

        Assert.Equal((400, "InvalidParameterValueException"), (result.StatusCode, result.ServiceErrorType));
    }
}
