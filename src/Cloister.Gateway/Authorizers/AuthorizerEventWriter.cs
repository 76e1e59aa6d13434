using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cloister.Gateway.Integrations;
using Cloister.Gateway.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Authorizers;

/// <summary>The event a Lambda authorizer receives: TOKEN (<c>type</c>, <c>authorizationToken</c>, <c>methodArn</c>) or REQUEST (the request's parts).</summary>
internal static class AuthorizerEventWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteToken(IBufferWriter<byte> output, string token, string methodArn)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("type", "TOKEN");
        json.WriteString("authorizationToken", token);
        json.WriteString("methodArn", methodArn);
        json.WriteEndObject();
    }

    public static void WriteRequest(IBufferWriter<byte> output, HttpContext http, RequestState state, string methodArn)
    {
        var route = state.Route!;
        var stage = state.Stage!;
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("type", "REQUEST");
        json.WriteString("methodArn", methodArn);
        json.WriteString("resource", route.Resource.Path);
        json.WriteString("path", state.Path);
        json.WriteString("httpMethod", state.HttpMethod);
        ProxyEventWriter.WriteHeaders(json, http.Request.Headers, state);
        ProxyEventWriter.WriteQuery(json, http.Request.Query);
        ProxyEventWriter.WriteStringMap(json, "pathParameters", route.PathParameters);
        ProxyEventWriter.WriteStringMap(json, "stageVariables", stage.Variables);
        ProxyEventWriter.WriteRequestContext(json, state, stage, route, includeAuthorizer: false);
        json.WriteEndObject();
    }
}
