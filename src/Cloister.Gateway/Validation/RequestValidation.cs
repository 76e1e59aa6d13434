using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Responses;
using Cloister.Gateway.Routing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Validation;

/// <summary>
/// Basic request validation: the method's request validator, if it has one, checks that required parameters are
/// present and not blank, and that the body matches the method's model for the request's content type.
/// </summary>
internal static class RequestValidation
{
    private const string DefaultContentType = "application/json";
    private const string DefaultModelKey = "$default";

    /// <summary>What an empty body is validated as.</summary>
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Null when the request passes (or nothing checks it); else the refusal, with <see cref="RequestState.ValidationErrorString"/> set.</summary>
    public static GatewayError? Validate(CompiledStage stage, RouteMatch route, HttpRequest request, ReadOnlyMemory<byte> body, RequestState state)
    {
        var method = route.Method;
        if (method.RequestValidatorId is not { } id || !stage.Validators.TryGetValue(id, out var validator))
        {
            return null;
        }

        if (validator.ValidateRequestParameters && MissingParameters(method.RequestParameters, route, request) is { Count: > 0 } missing)
        {
            var error = ValidationErrors.MissingParameters(missing);
            state.ValidationErrorString = error.Message;
            return error;
        }

        if (validator.ValidateRequestBody && ModelFor(method.RequestModels, request.ContentType) is { } model)
        {
            var errors = new List<string>();
            if (!ValidBody(stage.Schemas, model, body, errors))
            {
                state.ValidationErrorString = "[" + string.Join(", ", errors) + "]";
                return ValidationErrors.InvalidBody;
            }
        }

        return null;
    }

    /// <summary>
    /// The names of required parameters the request lacks or has blank, ordered as AWS lists them (by their
    /// <c>method.request.{location}.{name}</c> key). Header names are case-insensitive, query string names are not.
    /// </summary>
    private static List<string> MissingParameters(ImmutableDictionary<string, bool> parameters, RouteMatch route, HttpRequest request)
    {
        var missing = new List<(string Key, string Name)>();
        foreach (var (key, required) in parameters)
        {
            if (!required || !key.StartsWith("method.request.", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key["method.request.".Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                continue;
            }

            var name = rest[(dot + 1)..];
            var present = rest[..dot] switch
            {
                // ASP.NET Core's query collection ignores case; API Gateway's names do not.
                "querystring" => request.Query.Any(q => q.Key == name && q.Value.Any(v => !string.IsNullOrWhiteSpace(v))),
                "header" => request.Headers.TryGetValue(name, out var values) && values.Any(v => !string.IsNullOrWhiteSpace(v)),
                "path" => route.DecodedPathParameters.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value),
                _ => true,
            };
            if (!present)
            {
                missing.Add((key, name));
            }
        }

        return [.. missing.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Name)];
    }

    /// <summary>
    /// The model for the request's media type (<c>application/json</c> when it names none), else the <c>$default</c>
    /// one; null when neither exists, and then AWS does not validate the body.
    /// </summary>
    private static string? ModelFor(ImmutableDictionary<string, string> models, string? contentType)
    {
        if (models.Count == 0)
        {
            return null;
        }

        var mediaType = contentType?.Split(';', 2)[0].Trim();
        if (string.IsNullOrEmpty(mediaType))
        {
            mediaType = DefaultContentType;
        }

        string? fallback = null;
        foreach (var (type, model) in models)
        {
            if (string.Equals(type, mediaType, StringComparison.OrdinalIgnoreCase))
            {
                return model;
            }

            if (type == DefaultModelKey)
            {
                fallback = model;
            }
        }

        return fallback;
    }

    /// <summary>An empty body is validated as <c>{}</c>; one that is not JSON fails.</summary>
    private static bool ValidBody(SchemaSet schemas, string model, ReadOnlyMemory<byte> body, List<string> errors)
    {
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return JsonSchemaValidator.Validate(schemas, model, EmptyObject, errors);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSchemaValidator.Validate(schemas, model, document.RootElement, errors);
        }
        catch (JsonException e)
        {
            errors.Add($"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
            return false;
        }
    }
}
