using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// One of Lambda's REST operations as a request names it (the method and the path of the API reference): its name, the
/// IAM action it needs, and the function its path names (the <c>{FunctionName}</c> segment, unescaped), if any.
/// Cloister serves <see cref="Served"/> ones; every other known operation is refused as an operation the caller may not
/// use (docs/functions.md, "The Invoke API"); a path that is none of Lambda's is no operation at all.
/// </summary>
/// <param name="Name">The operation (<c>Invoke</c>, <c>GetFunction</c>...).</param>
/// <param name="Action">Its IAM action (<c>lambda:InvokeFunction</c>, <c>lambda:GetFunction</c>...).</param>
/// <param name="Function">The function the path names (for the tagging operations, the resource ARN as given), or null for an operation on no function (<c>ListFunctions</c>).</param>
internal sealed record LambdaOperation(string Name, string Action, string? Function)
{
    public const string Invoke = "Invoke";
    public const string GetFunction = "GetFunction";
    public const string GetFunctionConfiguration = "GetFunctionConfiguration";
    public const string ListFunctions = "ListFunctions";
    public const string InvokeWithResponseStream = "InvokeWithResponseStream";
    public const string ListTags = "ListTags";
    public const string TagResource = "TagResource";
    public const string UntagResource = "UntagResource";

    /// <summary>The IAM actions of the operations Cloister serves, as its refusal of the others lists them.</summary>
    public const string ServedActions = "lambda:InvokeFunction, lambda:GetFunction, lambda:GetFunctionConfiguration, lambda:ListFunctions, lambda:ListTags, lambda:TagResource, lambda:UntagResource";

    // Method, path pattern ({F} a function's name or ARN, {*} any one segment), operation, IAM action; the API reference's
    // operations a user of the CLI or an SDK is likely to try. Order matters only where two patterns could both match.
    private static readonly (string Method, string[] Pattern, string Name, string Action)[] Routes =
    [
        ("POST", ["2015-03-31", "functions", "{F}", "invocations"], Invoke, "lambda:InvokeFunction"),
        ("GET", ["2015-03-31", "functions", ""], ListFunctions, "lambda:ListFunctions"),
        ("GET", ["2015-03-31", "functions"], ListFunctions, "lambda:ListFunctions"),
        ("GET", ["2015-03-31", "functions", "{F}"], GetFunction, "lambda:GetFunction"),
        ("GET", ["2015-03-31", "functions", "{F}", "configuration"], GetFunctionConfiguration, "lambda:GetFunctionConfiguration"),
        ("POST", ["2015-03-31", "functions"], "CreateFunction", "lambda:CreateFunction"),
        ("POST", ["2015-03-31", "functions", ""], "CreateFunction", "lambda:CreateFunction"),
        ("DELETE", ["2015-03-31", "functions", "{F}"], "DeleteFunction", "lambda:DeleteFunction"),
        ("PUT", ["2015-03-31", "functions", "{F}", "configuration"], "UpdateFunctionConfiguration", "lambda:UpdateFunctionConfiguration"),
        ("PUT", ["2015-03-31", "functions", "{F}", "code"], "UpdateFunctionCode", "lambda:UpdateFunctionCode"),
        ("GET", ["2015-03-31", "functions", "{F}", "policy"], "GetPolicy", "lambda:GetPolicy"),
        ("POST", ["2015-03-31", "functions", "{F}", "policy"], "AddPermission", "lambda:AddPermission"),
        ("DELETE", ["2015-03-31", "functions", "{F}", "policy", "{*}"], "RemovePermission", "lambda:RemovePermission"),
        ("GET", ["2015-03-31", "functions", "{F}", "versions"], "ListVersionsByFunction", "lambda:ListVersionsByFunction"),
        ("POST", ["2015-03-31", "functions", "{F}", "versions"], "PublishVersion", "lambda:PublishVersion"),
        ("GET", ["2015-03-31", "functions", "{F}", "aliases"], "ListAliases", "lambda:ListAliases"),
        ("POST", ["2015-03-31", "functions", "{F}", "aliases"], "CreateAlias", "lambda:CreateAlias"),
        ("GET", ["2015-03-31", "functions", "{F}", "aliases", "{*}"], "GetAlias", "lambda:GetAlias"),
        ("PUT", ["2015-03-31", "functions", "{F}", "aliases", "{*}"], "UpdateAlias", "lambda:UpdateAlias"),
        ("DELETE", ["2015-03-31", "functions", "{F}", "aliases", "{*}"], "DeleteAlias", "lambda:DeleteAlias"),
        ("POST", ["2014-11-13", "functions", "{F}", "invoke-async", ""], "InvokeAsync", "lambda:InvokeFunction"),
        ("POST", ["2014-11-13", "functions", "{F}", "invoke-async"], "InvokeAsync", "lambda:InvokeFunction"),
        ("POST", ["2021-11-15", "functions", "{F}", "response-streaming-invocations"], InvokeWithResponseStream, "lambda:InvokeFunction"),
        ("GET", ["2016-08-19", "account-settings", ""], "GetAccountSettings", "lambda:GetAccountSettings"),
        ("GET", ["2016-08-19", "account-settings"], "GetAccountSettings", "lambda:GetAccountSettings"),
        ("GET", ["2019-09-30", "functions", "{F}", "concurrency"], "GetFunctionConcurrency", "lambda:GetFunctionConcurrency"),
        ("PUT", ["2017-10-31", "functions", "{F}", "concurrency"], "PutFunctionConcurrency", "lambda:PutFunctionConcurrency"),
        ("DELETE", ["2017-10-31", "functions", "{F}", "concurrency"], "DeleteFunctionConcurrency", "lambda:DeleteFunctionConcurrency"),
        ("GET", ["2021-10-31", "functions", "{F}", "url"], "GetFunctionUrlConfig", "lambda:GetFunctionUrlConfig"),
        ("GET", ["2015-03-31", "event-source-mappings", ""], "ListEventSourceMappings", "lambda:ListEventSourceMappings"),
        ("GET", ["2015-03-31", "event-source-mappings"], "ListEventSourceMappings", "lambda:ListEventSourceMappings"),
        ("GET", ["2017-03-31", "tags", "{F}"], ListTags, "lambda:ListTags"),
        ("POST", ["2017-03-31", "tags", "{F}"], TagResource, "lambda:TagResource"),
        ("DELETE", ["2017-03-31", "tags", "{F}"], UntagResource, "lambda:UntagResource"),
        ("GET", ["2018-10-31", "layers"], "ListLayers", "lambda:ListLayers"),
    ];

    /// <summary>Whether Cloister answers it (else it is refused, see the type's summary).</summary>
    public bool Served => Name is Invoke or InvokeWithResponseStream or GetFunction or GetFunctionConfiguration or ListFunctions or ListTags or TagResource or UntagResource;

    /// <summary>Whether it is one of the tagging operations, whose path names the function by its ARN alone.</summary>
    public bool Tagging => Name is ListTags or TagResource or UntagResource;

    /// <summary>The operation <paramref name="method"/> on <paramref name="path"/> (no query) is, or null when it is none of Lambda's.</summary>
    public static LambdaOperation? Match(string method, string path)
    {
        if (!path.StartsWith('/'))
        {
            return null;
        }

        var segments = path[1..].Split('/');
        foreach (var (routeMethod, pattern, name, action) in Routes)
        {
            if (!HttpMethods.Equals(method, routeMethod) || pattern.Length != segments.Length)
            {
                continue;
            }

            string? function = null;
            var matched = true;
            for (var i = 0; i < pattern.Length && matched; i++)
            {
                switch (pattern[i])
                {
                    case "{F}":
                        function = Uri.UnescapeDataString(segments[i]);
                        matched = function.Length > 0;
                        break;
                    case "{*}":
                        matched = segments[i].Length > 0;
                        break;
                    default:
                        matched = segments[i] == pattern[i];
                        break;
                }
            }

            if (matched)
            {
                return new LambdaOperation(name, action, function);
            }
        }

        return null;
    }
}
