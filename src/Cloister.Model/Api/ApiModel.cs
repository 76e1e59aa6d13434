namespace Cloister.Model.Api;

/// <summary>
/// A model of a REST API (<c>AWS::ApiGateway::Model</c>, an OpenAPI definition or a SAM API's <c>Models</c> entry):
/// a JSON Schema draft 4 document that request validation checks bodies against.
/// </summary>
/// <param name="Name">Its name, unique within the API; methods' <c>RequestModels</c> name it.</param>
/// <param name="ContentType">The content type it describes, <c>application/json</c> by default.</param>
/// <param name="Schema">The schema as JSON text; <c>$ref</c>s to other models of the API read <c>https://apigateway.amazonaws.com/restapis/{api}/models/{name}</c>.</param>
public sealed record ApiModel(string Name, string ContentType, string Schema)
{
    /// <summary>The prefix of a <c>$ref</c> to another model of the same API, before the API id.</summary>
    public const string ReferencePrefix = "https://apigateway.amazonaws.com/restapis/";

    /// <summary>The <c>$ref</c> that names model <paramref name="name"/> of API <paramref name="apiId"/>.</summary>
    public static string Reference(string apiId, string name) => $"{ReferencePrefix}{apiId}/models/{name}";
}
