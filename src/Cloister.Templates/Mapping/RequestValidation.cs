using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Model.Api;
using Cloister.Templates.Nodes;
using Cloister.Templates.OpenApi;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The request validation of REST APIs: <c>AWS::ApiGateway::RequestValidator</c> and <c>AWS::ApiGateway::Model</c>
/// resources (and those an OpenAPI body defines) gathered per API, and the methods' <c>RequestValidatorId</c> and
/// <c>RequestModels</c> checked against them, as API Gateway refuses a validator of another API or an unknown model.
/// </summary>
internal sealed partial class RequestValidation(List<PropertyReader> validators, List<PropertyReader> models)
{
    /// <summary>The models of the API, each with a name API Gateway accepts, a schema that is JSON, and <c>$ref</c>s to models that exist.</summary>
    public ImmutableArray<ApiModel> Models(PropertyReader api, ImportedApi? imported)
    {
        var found = new List<(ApiModel Model, PropertyReader Owner, string Property)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in models.Where(m => m.String("RestApiId") == api.Id))
        {
            var schema = m.Node("Schema") switch
            {
                null or ScalarNode { IsNull: true } => "{}",
                ScalarNode text => text.Value,
                var node => NodeJson.Write(node),
            };
            if (!IsJson(schema))
            {
                m.Problem("Schema", "is not valid JSON; a model's schema is a JSON Schema draft 4 document (an object, or a string holding one).");

                // Still a model name, so references to it are not reported too.
                names.Add(m.Id);
                continue;
            }

            if (!ModelName().IsMatch(m.Id))
            {
                m.Problem("Name", $"'{m.Id}' is not a model name API Gateway accepts (letters and digits only).");
            }

            found.Add((new ApiModel(m.Id, m.String("ContentType") ?? "application/json", schema), m, "Schema"));
        }

        found.AddRange((imported?.Models ?? []).Select(model => (model, api, "Body")));
        foreach (var (model, owner, property) in found)
        {
            if (!names.Add(model.Name))
            {
                owner.Problem(property == "Body" ? "Body" : "Name", $"The API {api.LogicalId} already has a model '{model.Name}'.");
            }
        }

        foreach (var (model, owner, property) in found)
        {
            foreach (var reference in References(model.Schema).Where(r => r.StartsWith(ApiModel.ReferencePrefix, StringComparison.Ordinal)))
            {
                var prefix = ApiModel.Reference(api.Id, string.Empty);
                var name = reference.StartsWith(prefix, StringComparison.Ordinal) ? reference[prefix.Length..].Split('#')[0] : null;
                if (name is null || !names.Contains(name))
                {
                    owner.Problem(property, $"The schema of model '{model.Name}' refers to '{reference}', which is not a model of the API {api.LogicalId}.");
                }
            }
        }

        return [.. found.Select(f => f.Model)];
    }

    /// <summary>The request validators of the API.</summary>
    public ImmutableArray<RequestValidator> Validators(string apiId, ImportedApi? imported) =>
    [
        .. validators.Where(v => v.String("RestApiId") == apiId).Select(v => new RequestValidator(
            v.Id,
            v.String("Name") ?? v.LogicalId,
            v.Bool("ValidateRequestBody", false),
            v.Bool("ValidateRequestParameters", false))),
        .. imported?.RequestValidators ?? [],
    ];

    /// <summary>Checks a method's validator and models belong to its API (<paramref name="apiLogicalId"/>); returns the method.</summary>
    public ApiMethod Check(PropertyReader m, ApiMethod method, string apiLogicalId, ImmutableArray<RequestValidator> apiValidators, ImmutableArray<ApiModel> apiModels)
    {
        if (method.RequestValidatorId is { } id && !apiValidators.Any(v => v.Id == id))
        {
            var other = validators.FirstOrDefault(v => v.Id == id);
            m.Problem("RequestValidatorId", other is null
                ? $"'{id}' is not a request validator of the API {apiLogicalId}."
                : $"'{id}' is the request validator {other.LogicalId} of another API; a method can use only its own API's validators.");
        }

        foreach (var (contentType, name) in method.RequestModels)
        {
            if (!apiModels.Any(model => model.Name == name))
            {
                m.Problem($"RequestModels.{contentType}", $"'{name}' is not a model of the API {apiLogicalId}.");
            }
        }

        return method;
    }

    /// <summary>Validators and models whose RestApiId names no API of these templates.</summary>
    public void ReportOrphans(IEnumerable<RestApi> apis)
    {
        var ids = apis.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var r in validators.Concat(models).Where(r => !ids.Contains(r.Required("RestApiId"))))
        {
            r.Problem("RestApiId", $"'{r.String("RestApiId")}' is not a REST API of these templates.");
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Every <c>$ref</c> string in a schema.</summary>
    private static List<string> References(string schema)
    {
        var found = new List<string>();
        using var document = JsonDocument.Parse(schema);
        Collect(document.RootElement, found);
        return found;

        static void Collect(JsonElement element, List<string> found)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, found);
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found);
                }
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9]+$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ModelName();
}
