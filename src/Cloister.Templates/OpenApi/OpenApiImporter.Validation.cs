using System.Collections.Immutable;
using Cloister.Model.Api;
using Cloister.Model.Identifiers;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.OpenApi;

/// <summary>
/// Request validation as API Gateway imports it: <c>x-amazon-apigateway-request-validators</c> (and the API's default
/// <c>x-amazon-apigateway-request-validator</c>), <c>definitions</c> or <c>components.schemas</c> as models (their
/// <c>$ref</c>s rewritten to model URLs), and each operation's body schema as its request model.
/// </summary>
internal sealed partial class OpenApiImporter
{
    private const string JsonContentType = "application/json";

    private readonly List<ApiModel> _models = [];
    private string _apiId = string.Empty;
    private string _schemasPrefix = "#/definitions/";
    private string _parametersPrefix = "#/parameters/";
    private MapNode? _sharedParameters;

    private void ReadValidators(MapNode body)
    {
        foreach (var validator in (body.Get("x-amazon-apigateway-request-validators") as MapNode)?.Entries ?? [])
        {
            var settings = validator.Value as MapNode;
            _validators[validator.Key] = new RequestValidator(
                _ids.Next(IdKind.Authorizer),
                validator.Key,
                IsTrue(settings?.GetString("validateRequestBody")),
                IsTrue(settings?.GetString("validateRequestParameters")));
        }

        if (body.GetString("x-amazon-apigateway-request-validator") is { } defaultValidator)
        {
            if (_validators.ContainsKey(defaultValidator))
            {
                _defaultValidator = defaultValidator;
            }
            else
            {
                Problem(body.Get("x-amazon-apigateway-request-validator")!, "x-amazon-apigateway-request-validator", $"'{defaultValidator}' is not in x-amazon-apigateway-request-validators.");
            }
        }
    }

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each definition becomes a model of content type <c>application/json</c>, named by its key.</summary>
    private void ReadModels(MapNode body, bool isV3)
    {
        _schemasPrefix = isV3 ? "#/components/schemas/" : "#/definitions/";
        var schemas = isV3 ? (body.Get("components") as MapNode)?.Get("schemas") as MapNode : body.Get("definitions") as MapNode;
        foreach (var schema in schemas?.Entries ?? [])
        {
            _models.Add(new ApiModel(schema.Key, JsonContentType, NodeJson.Write(RewriteReferences(schema.Value))));
        }
    }

    /// <summary>The document's shared parameters (<c>parameters</c>, or OpenAPI 3's <c>components.parameters</c>), for <c>$ref</c>s to them.</summary>
    private void ReadSharedParameters(MapNode body, bool isV3)
    {
        _parametersPrefix = isV3 ? "#/components/parameters/" : "#/parameters/";
        _sharedParameters = (isV3 ? (body.Get("components") as MapNode)?.Get("parameters") : body.Get("parameters")) as MapNode;
    }

    /// <summary>A parameter as written, or the shared one its <c>$ref</c> names (null, and a problem at <paramref name="where"/>, when there is none).</summary>
    private MapNode? ResolveParameter(MapNode parameter, string where)
    {
        if (parameter.GetString("$ref") is not { } reference)
        {
            return parameter;
        }

        if (SharedParameter(reference) is { } shared)
        {
            return shared;
        }

        Problem(parameter, where, $"'{reference}' is not a parameter of this document ({_parametersPrefix}...).");
        return null;
    }

    private MapNode? SharedParameter(string reference) =>
        reference.StartsWith(_parametersPrefix, StringComparison.Ordinal) ? _sharedParameters?.Get(reference[_parametersPrefix.Length..]) as MapNode : null;

    /// <summary>
    /// The operation's body models by content type: OpenAPI 2's <c>in: body</c> parameter for each of its
    /// <c>consumes</c> (<c>application/json</c> when none), or OpenAPI 3's <c>requestBody.content</c>.
    /// </summary>
    private ImmutableDictionary<string, string> RequestModels(MapNode method, MapNode body, string where)
    {
        var models = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (method.Get("requestBody") is MapNode requestBody)
        {
            if (requestBody.GetString("$ref") is { } reference && reference.StartsWith("#/components/requestBodies/", StringComparison.Ordinal))
            {
                requestBody = ((body.Get("components") as MapNode)?.Get("requestBodies") as MapNode)?.Get(reference["#/components/requestBodies/".Length..]) as MapNode ?? requestBody;
            }

            foreach (var content in (requestBody.Get("content") as MapNode)?.Entries ?? [])
            {
                if ((content.Value as MapNode)?.Get("schema") is { } schema && ModelOf(schema, $"{where}.requestBody.content.{content.Key}.schema") is { } name)
                {
                    models[content.Key] = name;
                }
            }

            return models.ToImmutable();
        }

        // An unresolvable reference is reported with the other parameters.
        var bodyParameter = NodeFactory.Items(method.Get("parameters")).OfType<MapNode>()
            .Select(p => p.GetString("$ref") is { } reference ? SharedParameter(reference) : p).FirstOrDefault(p => p?.GetString("in") == "body");
        if (bodyParameter?.Get("schema") is { } bodySchema && ModelOf(bodySchema, $"{where}.parameters.body.schema") is { } model)
        {
            var consumes = NodeFactory.Items(method.Get("consumes") ?? body.Get("consumes")).OfType<ScalarNode>().Select(c => c.Value).ToList();
            foreach (var contentType in consumes.Count == 0 ? [JsonContentType] : consumes)
            {
                models[contentType] = model;
            }
        }

        return models.ToImmutable();
    }

    /// <summary>The model a body schema names (<c>$ref</c> to a definition), or one made for an inline schema.</summary>
    private string? ModelOf(Node schema, string where)
    {
        if (schema is MapNode map && map.GetString("$ref") is { } reference)
        {
            var name = reference.StartsWith(_schemasPrefix, StringComparison.Ordinal) ? reference[_schemasPrefix.Length..] : null;
            if (name is null || !_models.Exists(m => m.Name == name))
            {
                Problem(map, where, $"'{reference}' is not a schema of this document ({_schemasPrefix}...).");
                return null;
            }

            return name;
        }

        // API Gateway makes a model of an inline body schema; named here after its position in the model list.
        var inline = $"Body{_models.Count + 1}";
        _models.Add(new ApiModel(inline, JsonContentType, NodeJson.Write(RewriteReferences(schema))));
        return inline;
    }

    /// <summary><c>$ref</c>s to <c>#/definitions/X</c> (or <c>#/components/schemas/X</c>) become the URL of model X, as API Gateway stores them.</summary>
    private Node RewriteReferences(Node node) => node switch
    {
        MapNode map => map with
        {
            Entries = [.. map.Entries.Select(e => e.Key == "$ref" && e.Value is ScalarNode s && s.Value.StartsWith(_schemasPrefix, StringComparison.Ordinal)
                ? e with { Value = s with { Value = ModelUrl(s.Value[_schemasPrefix.Length..]) } }
                : e with { Value = RewriteReferences(e.Value) })],
        },
        ListNode list => list with { Items = [.. list.Items.Select(RewriteReferences)] },
        _ => node,
    };

    private string ModelUrl(string pointer)
    {
        var slash = pointer.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ApiModel.Reference(_apiId, pointer) : ApiModel.Reference(_apiId, pointer[..slash]) + "#" + pointer[slash..];
    }
}
