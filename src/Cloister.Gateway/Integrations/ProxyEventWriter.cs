using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Gateway.Integrations;

/// <summary>Writes the Lambda proxy integration event, payload format 1.0 (spec §4), with every field AWS sends.</summary>
internal static class ProxyEventWriter
{
    private const string TraceHeader = "X-Amzn-Trace-Id";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IBufferWriter<byte> output, IntegrationRequest request)
    {
        var http = request.Http.Request;
        var state = request.State;
        var stage = request.Stage;
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("resource", request.Route.Resource.Path);
        json.WriteString("path", state.Path);
        json.WriteString("httpMethod", state.HttpMethod);
        WriteHeaders(json, http.Headers, state);
        WriteQuery(json, http.Query);
        WriteStringMap(json, "pathParameters", request.Route.PathParameters);
        WriteStringMap(json, "stageVariables", stage.Variables);

        WriteRequestContext(json, state, stage, request.Route, includeAuthorizer: true);

        var binary = MediaTypes.IsBinary(stage.Snapshot.BinaryMediaTypes, http.ContentType);
        if (request.Body.IsEmpty)
        {
            json.WriteNull("body");
        }
        else if (binary)
        {
            json.WriteBase64String("body", request.Body.Span);
        }
        else
        {
            json.WriteString("body", Encoding.UTF8.GetString(request.Body.Span));
        }

        json.WriteBoolean("isBase64Encoded", binary && !request.Body.IsEmpty);
        json.WriteEndObject();
    }

    /// <summary><c>requestContext</c>, shared by the proxy event and the REQUEST authorizer's event (which has no <c>authorizer</c>).</summary>
    internal static void WriteRequestContext(Utf8JsonWriter json, Pipeline.RequestState state, Catalog.CompiledStage stage, Routing.RouteMatch route, bool includeAuthorizer)
    {
        json.WriteStartObject("requestContext");
        json.WriteString("resourceId", route.Resource.Id);
        json.WriteString("resourcePath", route.Resource.Path);
        json.WriteString("httpMethod", state.HttpMethod);
        json.WriteString("extendedRequestId", state.ExtendedRequestId);
        json.WriteString("requestTime", state.RequestTimeText);
        json.WriteString("path", state.StagePath);
        json.WriteString("accountId", state.AccountId);
        json.WriteString("protocol", state.Protocol);
        json.WriteString("stage", stage.Name);
        json.WriteString("domainPrefix", state.DomainPrefix);
        json.WriteNumber("requestTimeEpoch", state.RequestTimeEpochMs);
        json.WriteString("requestId", state.RequestId);
        json.WriteStartObject("identity");
        Pipeline.AccessControl.AccessEventFields.WriteIdentity(json, state);
        json.WriteString("sourceIp", state.SourceIp);
        WriteNullable(json, "userAgent", state.UserAgent);
        if (!state.Regional)
        {
            // A private API's event names the endpoint and VPC; a public API's, called at the Region's front end, has neither.
            json.WriteString("vpceId", state.VpceId);
            json.WriteString("vpcId", state.VpcId);
        }

        json.WriteEndObject();
        json.WriteString("domainName", state.DomainName);
        json.WriteString("deploymentId", stage.DeploymentId);
        json.WriteString("apiId", state.ApiId);
        if (includeAuthorizer)
        {
            Pipeline.AccessControl.AccessEventFields.WriteAuthorizer(json, state);
        }

        json.WriteEndObject();
    }

    internal static void WriteHeaders(Utf8JsonWriter json, IHeaderDictionary headers, Pipeline.RequestState state)
    {
        // API Gateway adds these before the event is built (observed in private API events; the endpoint's two only
        // through an endpoint), and the X-Ray trace header to a request that has none ("adds a tracing header to incoming
        // HTTP requests that don't already have one").
        var traced = headers.ContainsKey(TraceHeader);
        Span<KeyValuePair<string, string>> all =
        [
            new("x-amzn-vpce-id", state.VpceId),
            new("x-amzn-vpce-config", "1"),
            new("X-Forwarded-For", ProxyHeaders.ForwardedFor(headers, state.SourceIp)),
            new("X-Forwarded-Port", ProxyHeaders.ForwardedPort),
            new("X-Forwarded-Proto", ProxyHeaders.ForwardedProto),
            new(TraceHeader, traced ? string.Empty : state.TraceId),
        ];
        var added = all[(state.Regional ? 2 : 0)..(traced ? all.Length - 1 : all.Length)];
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (!IsAdded(added, name) && !ProxyHeaders.DroppedFromEvent(name))
            {
                json.WriteString(name, values.Count == 0 ? string.Empty : values[values.Count - 1]);
            }
        }

        foreach (var (name, value) in added)
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        json.WriteStartObject("multiValueHeaders");
        foreach (var (name, values) in headers)
        {
            if (!IsAdded(added, name) && !ProxyHeaders.DroppedFromEvent(name))
            {
                WriteArray(json, name, values);
            }
        }

        foreach (var (name, value) in added)
        {
            json.WriteStartArray(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static bool IsAdded(Span<KeyValuePair<string, string>> added, string name)
    {
        foreach (var pair in added)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static void WriteQuery(Utf8JsonWriter json, IQueryCollection query)
    {
        if (query.Count == 0)
        {
            json.WriteNull("queryStringParameters");
            json.WriteNull("multiValueQueryStringParameters");
            return;
        }

        json.WriteStartObject("queryStringParameters");
        foreach (var (name, values) in query)
        {
            json.WriteString(name, values.Count == 0 ? string.Empty : values[values.Count - 1]);
        }

        json.WriteEndObject();
        json.WriteStartObject("multiValueQueryStringParameters");
        foreach (var (name, values) in query)
        {
            WriteArray(json, name, values);
        }

        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, StringValues values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    internal static void WriteStringMap(Utf8JsonWriter json, string name, ImmutableDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    internal static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
