using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Model.Compute;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// An integration URI naming an alias (<c>…:function:claims:live/invocations</c>, as SAM writes it with
/// <c>AutoPublishAlias</c>): API Gateway invokes the alias, whose version runs, and Lambda decides by the alias's own
/// policy: a permission added on the function does not let API Gateway invoke the alias.
/// </summary>
public sealed class AliasIntegrationTests : IAsyncLifetime
{
    private const string Source = """
        exports.handler = async (event, context) => ({
          statusCode: 200,
          body: JSON.stringify({ arn: context.invokedFunctionArn, version: process.env.AWS_LAMBDA_FUNCTION_VERSION, greeting: process.env.GREETING }),
        });
        """;

    private readonly RealLambda _functions = new();

    /// <summary>claims: $LATEST greets "latest", version 1 "published", alias live on version 1.</summary>
    private static LambdaFunction Claims(params PermissionStatement[] permissions)
    {
        var latest = new LambdaFunction(
            "claims", "claims", "nodejs20.x", "index.handler", null, Source, 256, 10,
            ImmutableDictionary<string, string>.Empty.Add("GREETING", "latest"), null, null);
        var published = latest with { Environment = ImmutableDictionary<string, string>.Empty.Add("GREETING", "published") };
        return latest with
        {
            Versions = [new FunctionVersion("ClaimsVersion", "1", null, published)],
            Aliases = [new FunctionAlias("ClaimsAliaslive", "live", "1", null)],
            Permissions = [.. permissions],
        };
    }

    private static PermissionStatement Permission(string? qualifier) =>
        new("ClaimsPermission", "lambda:InvokeFunction", "apigateway.amazonaws.com", $"arn:aws:execute-api:{Region}:{Account}:{ApiId}/*/GET/claim", null, qualifier);

    private static GatewayModel Model(PermissionStatement permission) =>
        ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("claims:live"))))) with { Functions = [Claims(permission)] };

    public Task InitializeAsync() => _functions.DeployAsync(Claims());

    public async Task DisposeAsync() => await _functions.DisposeAsync();

    [Fact]
    public async Task Invoke_AliasIntegrationWithPermissionOnTheAlias_RunsTheAliasVersion()
    {
        await using var harness = await GatewayHarness.StartAsync(Model(Permission("live")), invoker: _functions.Invoker);

        using var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            ($"arn:aws:lambda:{Region}:{Account}:function:claims:live", "1", "published"),
            (body.RootElement.GetProperty("arn").GetString(), body.RootElement.GetProperty("version").GetString(), body.RootElement.GetProperty("greeting").GetString()));
    }

    [Fact]
    public async Task Invoke_AliasIntegrationWithOnlyAnUnqualifiedPermission_Answers500()
    {
        await using var harness = await GatewayHarness.StartAsync(Model(Permission(null)), invoker: _functions.Invoker);

        using var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim");

        await Expect.ErrorAsync(response, 500, """{"message": "Internal server error"}""", "InternalServerErrorException");
    }
}
