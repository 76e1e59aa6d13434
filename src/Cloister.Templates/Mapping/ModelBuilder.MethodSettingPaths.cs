namespace Cloister.Templates.Mapping;

/// <summary>
/// A stage's <c>MethodSettings</c> <c>ResourcePath</c> as UpdateStage takes it: CloudFormation makes the patch path
/// <c>{ResourcePath}/{HttpMethod}/{setting}</c>, so the resource path is <c>/*</c> for every resource or a <c>/</c>
/// followed by the resource's path with each of its slashes written <c>~1</c> (<c>/~1pets~1{id}</c>; <c>/~1</c> is the
/// root). Anything else (<c>/pets</c>, <c>/~1claim/GET</c>, <c>*</c>) makes a path API Gateway refuses with
/// "Invalid method setting path".
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string EveryResource = "/*";

    private static void CheckMethodSettingPath(PropertyReader r, string property, string resourcePath, string httpMethod)
    {
        var escaped = resourcePath.StartsWith("/~1", StringComparison.Ordinal) && !resourcePath.AsSpan(1).Contains('/');
        if (resourcePath != EveryResource && !escaped)
        {
            r.Problem(
                property,
                $"Invalid method setting path: {resourcePath}/{httpMethod}. ResourcePath is '{EveryResource}' for every resource, or '/' and the resource's path with each '/' written '~1' (such as '/~1pets~1{{id}}'); the HTTP method goes in HttpMethod.");
        }
    }
}
