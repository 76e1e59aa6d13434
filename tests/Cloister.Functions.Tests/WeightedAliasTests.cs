using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// A weighted alias (<c>RoutingConfig.AdditionalVersionWeights</c>): each invocation through it runs the additional
/// version with that version's weight and the alias's own version otherwise, and says which ran. The draw is seeded, so
/// the proportion is the same on every run.
/// </summary>
public sealed class WeightedAliasTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state, AliasRoutingSample = new Random(2113).NextDouble })
{
    private const int Invocations = 200;
    private const double Weight = 0.3;

    /// <summary>The Node.js test function with versions 1 and 2 and alias <paramref name="alias"/>.</summary>
    private static LambdaFunction Function(string name, FunctionAlias alias, string? inlineCode = null)
    {
        var latest = new LambdaFunction(
            name, name, "nodejs20.x", inlineCode is null ? "app.handler" : "index.handler",
            inlineCode is null ? Path.Combine(ServiceFixture.FunctionsDirectory, "node") : null, inlineCode, 128, 10,
            ImmutableDictionary<string, string>.Empty, null, null);
        return latest with
        {
            Versions = [new FunctionVersion("V1", "1", null, latest), new FunctionVersion("V2", "2", null, latest)],
            Aliases = [alias],
        };
    }

    [Fact]
    public async Task InvokeAsync_WeightedAlias_RunsEachVersionInProportionToItsWeight()
    {
        var deployed = await Service.DeployAsync(Function("canary", new FunctionAlias("Live", "live", "1", null) { AdditionalVersion = new VersionWeight("2", Weight) }));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var ran = new List<(string Executed, JsonElement Environment)>();
        for (var i = 0; i < Invocations; i++)
        {
            var result = await Service.InvokeAsync("canary:live", """{"action":"env"}"""u8.ToArray());
            Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
            ran.Add((result.ExecutedVersion!, JsonDocument.Parse(result.Payload).RootElement.Clone()));
        }

        // Binomial(200, 0.3): mean 60, standard deviation 6.5; the bound is over four deviations wide on each side.
        var second = ran.Count(r => r.Executed == "2");
        Assert.InRange(second, 34, 86);
        Assert.Equal(Invocations - second, ran.Count(r => r.Executed == "1"));
        // The runtime sees the version that ran, in that version's environment.
        Assert.All(ran, r => Assert.Equal(r.Executed, r.Environment.GetProperty("AWS_LAMBDA_FUNCTION_VERSION").GetString()));
        Assert.All(ran, r => Assert.Contains($"/[{r.Executed}]", r.Environment.GetProperty("AWS_LAMBDA_LOG_STREAM_NAME").GetString(), StringComparison.Ordinal));
        // Both versions' lines: the log is written in the background, and a first "Version: 2" may be there before them all.
        var events = await LogEventsAsync("canary", e => e.Any(l => l.Message.EndsWith(" Version: 1", StringComparison.Ordinal)) && e.Any(l => l.Message.EndsWith(" Version: 2", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Message.StartsWith("START RequestId: ", StringComparison.Ordinal) && e.Message.EndsWith(" Version: 2", StringComparison.Ordinal) && e.Stream.Contains("/[2]", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Message.EndsWith(" Version: 1", StringComparison.Ordinal) && e.Stream.Contains("/[1]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvokeAsync_WeightedAliasAllOnTheSecondVersion_RunsItUnderTheAliasArn()
    {
        var name = "arned";
        var deployed = await Service.DeployAsync(Function(
            name,
            new FunctionAlias("Live", "live", "1", null) { AdditionalVersion = new VersionWeight("2", 1.0) },
            "exports.handler = async (event, context) => ({ arn: context.invokedFunctionArn, version: process.env.AWS_LAMBDA_FUNCTION_VERSION });"));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var result = await Service.InvokeAsync(name + ":live", "{}"u8.ToArray());

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("2", result.ExecutedVersion);
        var body = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}:live", body.GetProperty("arn").GetString());
        Assert.Equal("2", body.GetProperty("version").GetString());
    }

    /// <summary>What Lambda's CreateAlias refuses is refused at deploy, in Lambda's words, before anything starts.</summary>
    [Theory]
    [InlineData("1", "1", 0.5, "Invalid function version 1. Function version 1 is already included in routing configuration.")]
    [InlineData("$LATEST", "1", 0.5, "$LATEST is not supported for an alias pointing to more than 1 version")]
    [InlineData("1", "3", 0.5, "its additional version 3 is not a version of the function.")]
    [InlineData("1", "2", 1.5, "the weight of version 2 must be between 0.0 and 1.0, not 1.5.")]
    public async Task DeployAsync_WeightedAliasLambdaRefuses_IsAProblem(string primary, string additional, double weight, string message)
    {
        var result = await Service.DeployAsync(Function("refused", new FunctionAlias("Live", "live", primary, null) { AdditionalVersion = new VersionWeight(additional, weight) }));

        Assert.False(result.Succeeded);
        Assert.Equal("Function refused: alias live: " + message, Assert.Single(result.Problems));
        Assert.Empty(Service.ProcessIdsOf("refused"));
    }
}
