using System.Text.Json;
using Cloister.Lambda.RuntimeClient;
using Cloister.Lambda.RuntimeClient.ApiGateway;

namespace Cloister.Functions.TestFunction;

/// <summary>The custom runtime handler: API Gateway proxy events get a proxy response; others run a test action.</summary>
public static class BootstrapHandler
{
    public static async ValueTask<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, LambdaContext context)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("httpMethod", out _))
        {
            var request = JsonSerializer.Deserialize(payload.Span, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest)!;
            var response = new ApiGatewayProxyResponse
            {
                StatusCode = 201,
                Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                Body = JsonSerializer.Serialize(
                    new Dictionary<string, string>
                    {
                        ["method"] = request.HttpMethod ?? string.Empty,
                        ["path"] = request.Path ?? string.Empty,
                        ["id"] = request.PathParameters?.GetValueOrDefault("id") ?? string.Empty,
                        ["sourceIp"] = request.RequestContext?.Identity?.SourceIp ?? string.Empty,
                        ["vpceId"] = request.RequestContext?.Identity?.VpceId ?? string.Empty,
                        ["body"] = request.Body ?? string.Empty,
                        ["requestId"] = context.AwsRequestId,
                    },
                    TestJsonContext.Default.DictionaryStringString),
            };
            return JsonSerializer.SerializeToUtf8Bytes(response, ApiGatewayJsonContext.Default.ApiGatewayProxyResponse);
        }

        string? action = null;
        var ms = 0;
        if (root.ValueKind == JsonValueKind.Object)
        {
            action = root.TryGetProperty("action", out var a) ? a.GetString() : null;
            ms = root.TryGetProperty("ms", out var m) ? m.GetInt32() : 0;
        }

        if (action == "record")
        {
            return ContextRecorder.Record(context.AwsRequestId, context.ClientContext, root.TryGetProperty("fail", out var fail) && fail.GetBoolean());
        }

        return await TestActions.RunAsync(action, ms, context.AwsRequestId, payload);
    }
}
