using System.Collections.Immutable;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// Each init of an execution environment gets new credentials of the execution role, as on Lambda: an environment
/// started hours after the deploy (the sandbox's STS lets a function's credentials live 12 hours) is not handed
/// credentials that have since expired.
/// </summary>
public sealed class FreshCredentialsTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    Credentials = NumberedCredentials("ASIAINIT"),
})
{
    [Fact]
    public async Task InvokeAsync_EnvironmentInitializedAgainAfterItsRuntimeExits_NewCredentials()
    {
        const string Code = "exports.handler = async (event) => { if (event.exit) { process.exit(1); } return process.env.AWS_ACCESS_KEY_ID; };";
        var deployed = await Service.DeployAsync(new LambdaFunction(
            "fresh", "fresh", "nodejs20.x", "index.handler", null, Code, 128, 10, ImmutableDictionary<string, string>.Empty, null, null, "arn:aws:iam::123456789012:role/fresh-role"));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var first = Encoding.UTF8.GetString((await Service.InvokeAsync("fresh", "{}"u8.ToArray())).Payload.Span);
        var warm = Encoding.UTF8.GetString((await Service.InvokeAsync("fresh", "{}"u8.ToArray())).Payload.Span);
        await Service.InvokeAsync("fresh", """{"exit":true}"""u8.ToArray());
        var afterInit = Encoding.UTF8.GetString((await Service.InvokeAsync("fresh", "{}"u8.ToArray())).Payload.Span);

        Assert.StartsWith("\"ASIAINIT", first, StringComparison.Ordinal);
        Assert.Equal(first, warm);
        Assert.StartsWith("\"ASIAINIT", afterInit, StringComparison.Ordinal);
        Assert.NotEqual(first, afterInit);
    }
}
