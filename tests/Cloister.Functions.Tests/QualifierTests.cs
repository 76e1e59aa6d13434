using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
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
          pid: process.pid,
        });
        """;

    /// <summary>A node function with version 1 (greeting "published") and alias live on it; $LATEST greets "latest".</summary>
    private async Task<string> DeployAsync()
    {
        var name = "qualified-" + Guid.NewGuid().ToString("N")[..12];
        var result = await fixture.Service.DeployAsync(Function(name));
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return name;
    }

    private static LambdaFunction Function(string name)
    {
        var latest = new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, Code, 256, 10,
            ImmutableDictionary<string, string>.Empty.Add("GREETING", "latest"), null, null);
        var published = latest with { Environment = ImmutableDictionary<string, string>.Empty.Add("GREETING", "published") };
        return latest with
        {
            Versions = [new FunctionVersion("V1", "1", null, published)],
            Aliases = [new FunctionAlias("Live", "live", "1", null), new FunctionAlias("Head", "head", "$LATEST", null)],
        };
    }

    /// <summary>Invokes <c>$LATEST</c> and alias live; each runs in its version's environment.</summary>
    private async Task<(JsonElement Latest, JsonElement Version)> InvokeBothAsync(string name)
    {
        var latest = await fixture.InvokeAsync(name, "{}");
        var version = await fixture.InvokeAsync(name + ":live", "{}");
        Assert.True(latest.Succeeded && version.Succeeded);
        return (ServiceFixture.Json(latest), ServiceFixture.Json(version));
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

    /// <summary>Asserts the function has no environment left and the processes that answered <paramref name="bodies"/> are gone.</summary>
    private async Task AssertStoppedAsync(string name, params JsonElement[] bodies)
    {
        Assert.Empty(fixture.Service.ProcessIdsOf(name));
        foreach (var pid in bodies.Select(b => b.GetProperty("pid").GetInt32()))
        {
            Assert.True(await ServiceFixture.ProcessGoneAsync(pid), $"process {pid} outlived its environment");
        }
    }

    [Fact]
    public async Task RemoveAsync_VersionsRunning_StopsEveryVersionsEnvironments()
    {
        var name = await DeployAsync();
        var (latest, version) = await InvokeBothAsync(name);

        await fixture.Service.RemoveAsync(name);

        await AssertStoppedAsync(name, latest, version);
    }

    [Fact]
    public async Task DeployAsync_Redeployed_StopsEveryVersionsEnvironments()
    {
        var name = await DeployAsync();
        var (latest, version) = await InvokeBothAsync(name);

        var redeployed = await fixture.Service.DeployAsync(Function(name));

        Assert.True(redeployed.Succeeded, string.Join("; ", redeployed.Problems));
        await AssertStoppedAsync(name, latest, version);
    }

    [Fact]
    public async Task InvokeAsync_LatestAndVersion_BothStreamsInTheFunctionsLog()
    {
        // One log file per function, as one log group: `cloister logs function NAME` prints every version's stream.
        var name = await DeployAsync();
        var (latest, version) = await InvokeBothAsync(name);
        var streams = new[] { latest, version }.Select(b => b.GetProperty("stream").GetString()!).ToArray();

        var events = await fixture.LogEventsAsync(name, m => m.Count(l => l.StartsWith("REPORT", StringComparison.Ordinal)) == 2);

        Assert.Matches(@"/\[\$LATEST\][0-9a-f]{32}$", streams[0]);
        Assert.Matches(@"/\[1\][0-9a-f]{32}$", streams[1]);
        Assert.Contains(events, e => e.Stream == streams[0] && e.Message.EndsWith("Version: $LATEST", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Stream == streams[1] && e.Message.EndsWith("Version: 1", StringComparison.Ordinal));
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
