using Cloister.Model;
using Cloister.Model.Identifiers;
using Cloister.Model.Validation;

namespace Cloister.Templates.Tests;

/// <summary>Loads templates from text the way the deployer will, with seeded ids in eu-central-1.</summary>
internal static class TestTemplates
{
    public static readonly AccountContext Account = new("123456789012", "eu-central-1");

    /// <summary>The properties of an on-demand table keyed by a string <c>id</c> (YAML flow style).</summary>
    public const string TableProperties = "{ KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], BillingMode: PAY_PER_REQUEST }";

    public static TemplateLoadOptions Options(bool ignoreUnsupported = false) => new()
    {
        Account = Account,
        Ids = new IdGenerator(42),
        IgnoreUnsupported = ignoreUnsupported,
        Now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    public static TemplateLoadResult Load(string text, IReadOnlyDictionary<string, string>? parameters = null, string path = "template.yaml", bool ignoreUnsupported = false) =>
        TemplateLoader.Load([new TemplateFile(path) { Text = text, Parameters = parameters ?? new Dictionary<string, string>() }], Options(ignoreUnsupported));

    public static TemplateLoadResult LoadValid(string text, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var result = Load(text, parameters);
        Assert.True(result.IsValid, result.Validation.ToString());
        return result;
    }

    public static ValidationProblem SingleProblem(string text, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var result = Load(text, parameters);
        return Assert.Single(result.Validation.Problems);
    }

    public static string DataPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    /// <summary>A template of one resource with the given YAML properties block (indented by 6).</summary>
    public static string OneResource(string type, string properties) => $"""
        Resources:
          Thing:
            Type: {type}
            Properties:
        {properties}
        """;

    /// <summary>A template of one private REST API <c>Api</c> imported from <paramref name="body"/> (an OpenAPI document indented by 8).</summary>
    public static string PrivateRestApi(string body) => $$"""
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              EndpointConfiguration: { Types: [PRIVATE] }
              Body:
        {{body}}
        """;

    /// <summary>
    /// A SAM template of one function <c>Fn</c> with inline Node.js code and <paramref name="properties"/> (YAML at its
    /// Properties' indent, 6; lines at indent 2 after them add resources).
    /// </summary>
    public static string SamInlineFunction(string properties) => $"""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              InlineCode: x
              Handler: index.handler
              Runtime: nodejs20.x
        {properties}
        """;

    /// <summary>
    /// A SAM template of one API <c>Api</c> with <paramref name="properties"/> (YAML at its Properties' indent, 6; lines at
    /// indent 2 after them add resources).
    /// </summary>
    public static string SamApi(string properties) => $"""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
        {properties}
        """;

    /// <summary>
    /// A Resources entry on one line: SAM function <paramref name="id"/> with inline code and one Api event <c>Get</c>
    /// routing <paramref name="method"/> <paramref name="path"/> on the implicit API, or on <paramref name="restApiId"/>.
    /// </summary>
    public static string SamFunction(string id, string path = "/items", string method = "get", string? restApiId = null, string? condition = null)
    {
        var api = restApiId is null ? string.Empty : $", RestApiId: !Ref {restApiId}";
        var attributes = condition is null ? string.Empty : $", Condition: {condition}";
        return $"{id}: {{ Type: AWS::Serverless::Function{attributes}, Properties: {{ InlineCode: x, Handler: index.handler, Runtime: nodejs20.x, "
            + $"Events: {{ Get: {{ Type: Api, Properties: {{ Path: \"{path}\", Method: {method}{api} }} }} }} }} }}";
    }
}
