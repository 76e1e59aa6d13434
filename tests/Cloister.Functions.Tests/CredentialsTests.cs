using System.Collections.Immutable;
using System.Text;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>Each function's environments receive the credentials of its own execution role session.</summary>
public sealed class CredentialsTests() : IsolatedServiceTests(state => new FunctionsOptions
{
    State = state,
    Credentials = f => new SandboxCredentials("ASIA" + f.FunctionName.ToUpperInvariant().PadRight(16, 'X'), "secret-of-" + f.FunctionName, "token-of-" + f.RoleArn),
})
{
    [Fact]
    public async Task InvokeAsync_TwoFunctions_EachSeesItsOwnRolesCredentials()
    {
        const string Code = "exports.handler = async () => [process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].join(' ');";
        foreach (var name in new[] { "reader", "writer" })
        {
            var deployed = await Service.DeployAsync(new LambdaFunction(
                name, name, "nodejs20.x", "index.handler", null, Code, 128, 10, ImmutableDictionary<string, string>.Empty, null, null, $"arn:aws:iam::123456789012:role/{name}-role"));
            Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
        }

        var reader = await Service.InvokeAsync("reader", "{}"u8.ToArray());
        var writer = await Service.InvokeAsync("writer", "{}"u8.ToArray());

        Assert.Equal("\"ASIAREADERXXXXXXXXXX secret-of-reader token-of-arn:aws:iam::123456789012:role/reader-role\"", Encoding.UTF8.GetString(reader.Payload.Span));
        Assert.Equal("\"ASIAWRITERXXXXXXXXXX secret-of-writer token-of-arn:aws:iam::123456789012:role/writer-role\"", Encoding.UTF8.GetString(writer.Payload.Span));
    }
}
