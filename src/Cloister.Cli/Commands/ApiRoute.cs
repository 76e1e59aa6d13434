using Cloister.Model;
using Cloister.Model.Api;

namespace Cloister.Cli.Commands;

/// <summary>
/// What an execute-api URL (<c>https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}</c>) names in the
/// model: the API, the stage, the resource whose path is exactly the URL's (null when none is, such as a path with an
/// id in it) and its GET or ANY method.
/// </summary>
/// <param name="Api">The REST API.</param>
/// <param name="Stage">The stage name.</param>
/// <param name="Resource">The resource, or null.</param>
/// <param name="Method">Its GET or ANY method, or null.</param>
internal sealed record ApiRoute(RestApi Api, string Stage, ApiResource? Resource, ApiMethod? Method)
{
    private const string ExecuteApi = ".execute-api.";

    /// <summary>The route <paramref name="url"/> names; null when it is no execute-api URL of a deployed API.</summary>
    public static ApiRoute? Find(CloudModel model, Uri url)
    {
        var dot = url.Host.IndexOf(ExecuteApi, StringComparison.OrdinalIgnoreCase);
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (dot <= 0 || segments.Length == 0 || model.RestApis.FirstOrDefault(a => a.Id == url.Host[..dot]) is not { } api)
        {
            return null;
        }

        var path = "/" + string.Join('/', segments.Skip(1).Select(Uri.UnescapeDataString));
        var resource = api.Resources.FirstOrDefault(r => r.Path == path);
        return new ApiRoute(api, segments[0], resource, resource is null ? null : Gettable(resource));
    }

    /// <summary>The method a plain GET reaches on <paramref name="resource"/>: GET, else ANY; null when neither exists.</summary>
    public static ApiMethod? Gettable(ApiResource resource) =>
        resource.Methods.FirstOrDefault(m => m.HttpMethod == "GET") ?? resource.Methods.FirstOrDefault(m => m.HttpMethod == "ANY");

    /// <summary>The value of an enabled API key in a usage plan of <paramref name="apiId"/>'s <paramref name="stage"/>; null when there is none.</summary>
    public static string? KeyFor(CloudModel model, string apiId, string stage)
    {
        var plans = model.UsagePlans.Where(p => p.ApiStages.Any(s => s.ApiId == apiId && s.Stage == stage)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var keys = model.UsagePlanKeys.Where(k => plans.Contains(k.UsagePlanId)).Select(k => k.KeyId).ToHashSet(StringComparer.Ordinal);
        return model.ApiKeys.FirstOrDefault(k => k.Enabled && keys.Contains(k.Id))?.Value;
    }

    /// <summary>The Lambda function the method's integration invokes; null when it invokes none of the model's.</summary>
    public string? Function(CloudModel model) =>
        Method?.Integration?.Uri is { } uri
            ? model.Functions.FirstOrDefault(f => uri.Contains($":function:{f.FunctionName}/", StringComparison.Ordinal) || uri.Contains($":function:{f.FunctionName}:", StringComparison.Ordinal))?.FunctionName
            : null;
}
