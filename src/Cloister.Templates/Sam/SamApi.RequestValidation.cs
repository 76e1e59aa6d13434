using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// Request validation as SAM writes it: the API's <c>Models</c> become definitions (names lower-cased), an Api event's
/// <c>RequestModel</c> the method's body parameter (or OpenAPI 3 requestBody) and, with ValidateBody or
/// ValidateParameters, a validator named <c>body-and-params</c>, <c>body-only</c>, <c>params-only</c> or
/// <c>no-validation</c>; its <c>RequestParameters</c> the method's parameters.
/// </summary>
internal sealed partial class SamApi
{
    private const string ParameterFormat = "Invalid value for 'RequestParameters' property. Keys must be in the format 'method.request.[querystring|path|header].{value}', e.g 'method.request.header.Authorization'.";

    /// <summary>SAM's <c>add_models</c>: each schema needs a <c>type</c>; it goes under its lower-cased name.</summary>
    private MapNode AddModels(string id, MapNode body, Node models)
    {
        if (models is not MapNode map || map.IsIntrinsic(out _, out _))
        {
            context.Problem(id, "Properties.Models", "Models must be a map of model names to JSON schemas.", models.Location);
            return body;
        }

        var v3 = body.GetString("openapi") is not null;
        var container = v3 ? (body.Get("components") as MapNode)?.Get("schemas") as MapNode : body.Get("definitions") as MapNode;
        container ??= new MapNode([], models.Location);
        foreach (var model in map.Entries)
        {
            if (model.Value is not MapNode schema || schema.Get("type") is null)
            {
                context.Problem(id, $"Properties.Models.{model.Key}", "'Models' schema is missing 'type'.", model.KeyLocation);
                continue;
            }

            container = container.With(model.Key.ToLowerInvariant(), schema);
        }

        return v3
            ? body.With("components", (body.Get("components") as MapNode ?? new MapNode([], models.Location)).With("schemas", container))
            : body.With("definitions", container);
    }

    private (MapNode Method, MapNode Body) AddRequestValidation(ApiEvent e, MapNode method, MapNode body, Node? models)
    {
        var where = $"Properties.Events.{e.EventId}.Properties";
        if (e.RequestModel is MapNode requestModel && requestModel.GetString("Model") is { } model)
        {
            var at = requestModel.Location;
            if (models is not MapNode declared)
            {
                context.Problem(e.FunctionId, where + ".RequestModel", $"Unable to set RequestModel [{model}] on API method [{e.Method}] for path [{e.Path}] because the related API does not define any Models.", at);
            }
            else if (!declared.IsIntrinsic(out _, out _) && declared.Get(model) is null)
            {
                context.Problem(e.FunctionId, where + ".RequestModel", $"Unable to set RequestModel [{model}] on API method [{e.Method}] for path [{e.Path}] because it wasn't defined in the API's Models.", at);
            }
            else
            {
                (method, body) = WithRequestModel(e, requestModel, model.ToLowerInvariant(), method, body, where);
            }
        }
        else if (e.RequestModel is { } other)
        {
            context.Problem(e.FunctionId, where + ".RequestModel", "RequestModel must be a map with a Model.", other.Location);
        }

        if (e.RequestParameters is { } parameters)
        {
            method = WithRequestParameters(e, parameters, method, where);
        }

        return (method, body);
    }

    private (MapNode Method, MapNode Body) WithRequestModel(ApiEvent e, MapNode requestModel, string name, MapNode method, MapNode body, string where)
    {
        var at = requestModel.Location;
        var required = requestModel.Get("Required");
        if (body.GetString("openapi") is not null)
        {
            var schema = NodeFactory.Map(at, ("schema", NodeFactory.Map(at, ("$ref", NodeFactory.Str("#/components/schemas/" + name, at)))));
            method = method.With("requestBody", NodeFactory.Map(at, ("content", NodeFactory.Map(at, ("application/json", schema))), ("required", required)));
        }
        else
        {
            var parameter = NodeFactory.Map(
                at,
                ("in", NodeFactory.Str("body", at)),
                ("name", NodeFactory.Str(name, at)),
                ("schema", NodeFactory.Map(at, ("$ref", NodeFactory.Str("#/definitions/" + name, at)))),
                ("required", required));
            method = method.With("parameters", new ListNode([.. NodeFactory.Items(method.Get("parameters")), parameter], at));
        }

        var validateBody = requestModel.Get("ValidateBody");
        var validateParameters = requestModel.Get("ValidateParameters");
        if (validateBody is null && validateParameters is null)
        {
            return (method, body);
        }

        // SAM: when one is given, the other defaults to false; both must be booleans.
        if (!IsBoolean(validateBody) || !IsBoolean(validateParameters))
        {
            context.Problem(e.FunctionId, where + ".RequestModel", "Invalid value for 'RequestModel' property. ValidateBody and ValidateParameters must be a boolean type, strings or intrinsics are not supported.", at);
            return (method, body);
        }

        var bodyOn = validateBody is ScalarNode { Value: "true" };
        var parametersOn = validateParameters is ScalarNode { Value: "true" };
        var validator = (bodyOn, parametersOn) switch
        {
            (true, true) => "body-and-params",
            (true, false) => "body-only",
            (false, true) => "params-only",
            _ => "no-validation",
        };
        var validators = body.Get("x-amazon-apigateway-request-validators") as MapNode ?? new MapNode([], at);
        if (validators.Get(validator) is null)
        {
            validators = validators.With(validator, NodeFactory.Map(
                at,
                ("validateRequestBody", ScalarNode.Boolean(bodyOn, at)),
                ("validateRequestParameters", ScalarNode.Boolean(parametersOn, at))));
        }

        return (method.With("x-amazon-apigateway-request-validator", NodeFactory.Str(validator, at)), body.With("x-amazon-apigateway-request-validators", validators));

        static bool IsBoolean(Node? node) => node is null || node is ScalarNode { Kind: ScalarKind.Boolean };
    }

    /// <summary>SAM's RequestParameters: <c>method.request.{querystring|path|header}.X</c> names, or one-key maps of them to Required and Caching.</summary>
    private MapNode WithRequestParameters(ApiEvent e, Node parameters, MapNode method, string where)
    {
        var added = ImmutableArray.CreateBuilder<Node>();
        foreach (var parameter in NodeFactory.Items(parameters))
        {
            string? key;
            Node? required = null;
            switch (parameter)
            {
                case ScalarNode { IsNull: false } s:
                    key = s.Value;
                    break;
                case MapNode map when map.Entries.Length == 1 && !map.IsIntrinsic(out _, out _):
                    key = map.Entries[0].Key;
                    if (map.Entries[0].Value is not MapNode settings || settings.Entries.Any(s => s.Key is not ("Required" or "Caching")))
                    {
                        context.Problem(e.FunctionId, where + ".RequestParameters", "Invalid value for 'RequestParameters' property. Values must be an object, e.g { Required: true, Caching: false }", parameter.Location);
                        continue;
                    }

                    required = settings.Get("Required");
                    break;
                default:
                    context.Problem(e.FunctionId, where + ".RequestParameters", "Invalid value for 'RequestParameters' property. Property must be either a string or an object", parameter.Location);
                    continue;
            }

            var match = ParameterName().Match(key);
            if (!match.Success)
            {
                context.Problem(e.FunctionId, where + ".RequestParameters", ParameterFormat, parameter.Location);
                continue;
            }

            var at = parameter.Location;
            var location = match.Groups[1].Value == "querystring" ? "query" : match.Groups[1].Value;
            added.Add(NodeFactory.Map(
                at,
                ("in", NodeFactory.Str(location, at)),
                ("name", NodeFactory.Str(match.Groups[2].Value, at)),
                ("required", required ?? ScalarNode.Boolean(false, at)),
                ("type", NodeFactory.Str("string", at))));
        }

        return added.Count == 0 ? method : method.With("parameters", new ListNode([.. NodeFactory.Items(method.Get("parameters")), .. added], parameters.Location));
    }

    [GeneratedRegex(@"^method\.request\.(querystring|path|header)\.(.+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ParameterName();
}
