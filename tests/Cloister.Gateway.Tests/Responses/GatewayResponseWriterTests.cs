using System.Collections.Frozen;
using System.Text;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.Tests.Responses;

public sealed class GatewayResponseWriterTests
{
    private static RequestState State(params (string Type, CompiledGatewayResponse Response)[] overrides) =>
        Infrastructure.States.AtStage(gatewayResponses: overrides.ToFrozenDictionary(o => o.Type, o => o.Response));

    private static string Body((int Status, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers) rendered) => Encoding.UTF8.GetString(rendered.Body);

    [Fact]
    public void Render_AccessDenied_MasksAccountAndUsesCapitalMessage()
    {
        var error = GatewayError.AccessDenied("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/", "123456789012", explicitDeny: true);

        var rendered = GatewayResponseWriter.Render(error, State());

        Assert.Equal(403, rendered.Status);
        Assert.Equal("""{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5/dev/GET/ with an explicit deny"}""", Body(rendered));
        Assert.Contains(rendered.Headers, h => h.Key == "x-amzn-ErrorType" && h.Value == "AccessDeniedException");
    }

    [Fact]
    public void Render_Default4xxOverrideWithStatus_AppliesToTypesNotOverridden()
    {
        var state = State(("DEFAULT_4XX", new CompiledGatewayResponse(400, [new("Access-Control-Allow-Origin", "'*'")], null)));

        var rendered = GatewayResponseWriter.Render(GatewayError.MissingAuthenticationToken, state);

        Assert.Equal(400, rendered.Status);
        Assert.Equal("""{"message":"Missing Authentication Token"}""", Body(rendered));
        Assert.Contains(rendered.Headers, h => h.Key == "Access-Control-Allow-Origin" && h.Value == "*");
    }

    [Fact]
    public void Render_TypeOverrideBeatsDefault5xx()
    {
        var state = State(
            ("DEFAULT_5XX", new CompiledGatewayResponse(null, [], CompiledTemplate.Parse("default"))),
            ("INTEGRATION_TIMEOUT", new CompiledGatewayResponse(503, [], CompiledTemplate.Parse("""{"retry":"$context.error.responseType"}"""))));

        var timeout = GatewayResponseWriter.Render(GatewayError.IntegrationTimeout, state);
        var failure = GatewayResponseWriter.Render(GatewayError.LambdaFailure, state);

        Assert.Equal((503, """{"retry":"INTEGRATION_TIMEOUT"}"""), (timeout.Status, Body(timeout)));
        Assert.Equal((502, "default"), (failure.Status, Body(failure)));
    }

    [Fact]
    public void Render_ServerErrorWithoutOverride_HasSpaceAfterColon()
    {
        var rendered = GatewayResponseWriter.Render(GatewayError.LambdaFailure, State());

        Assert.Equal("""{"message": "Internal server error"}""", Body(rendered));
    }
}
