using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cloister.Functions.Code;
using Cloister.Functions.Environments;
using Cloister.Functions.Refusals;
using Cloister.Model.Compute;
using Cloister.Shared.Validation;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's read-only operations on the stack's functions, answered from what <see cref="LambdaService"/> deployed:
/// GetFunction (<c>Configuration</c>, <c>Code</c>, <c>Tags</c> or <c>TagsError</c>, <c>Concurrency</c>), GetFunctionConfiguration and ListFunctions
/// (50 at most per page, <c>FunctionVersion=ALL</c> for the published versions too). Each answer is a 200 with its JSON,
/// or Lambda's refusal.
/// </summary>
/// <param name="functions">The deployed functions.</param>
/// <param name="vpcOfSubnet">The VPC of each subnet a function may name (<see cref="InvokeApiOptions.VpcOfSubnet"/>).</param>
internal sealed class FunctionDescriptions(LambdaService functions, IReadOnlyDictionary<string, string> vpcOfSubnet)
{
    // Each deployed configuration's package, made once on first description: a redeploy is a new configuration.
    private readonly ConditionalWeakTable<LambdaFunction, Lazy<CodePackage?>> _packages = [];

    /// <summary>What ListFunctions returns at most per call, whatever <c>MaxItems</c> asks.</summary>
    private const int PageLimit = 50;

    /// <summary>GetFunction (<paramref name="configurationOnly"/> false) or GetFunctionConfiguration of the function <paramref name="reference"/> names.</summary>
    /// <param name="reference">The function as the path names it.</param>
    /// <param name="qualifier">The <c>Qualifier</c> query parameter.</param>
    /// <param name="configurationOnly">GetFunctionConfiguration's answer.</param>
    /// <param name="tagsRefusal">For GetFunction, why the caller may not see the function's tags (its <c>TagsError</c>); null shows them.</param>
    public InvocationResult Get(string reference, string? qualifier, bool configurationOnly, (string Code, string Message)? tagsRefusal)
    {
        var name = LambdaFunction.NameOf(reference, out var derived);
        if (derived is not null && qualifier is not null && derived != qualifier)
        {
            return Refusal.InvalidParameterValue("The derived qualifier from the function name does not match the specified qualifier.", Guid.NewGuid().ToString());
        }

        qualifier ??= derived;
        if (functions.Deployed(name) is not { } function || function.Describe(qualifier) is not { } version)
        {
            return Refusal.FunctionNotFound(LambdaFunction.ArnOf(functions.Account, name, qualifier), Guid.NewGuid().ToString());
        }

        var arn = LambdaFunction.ArnOf(functions.Account, name, qualifier);
        return Json(writer =>
        {
            if (configurationOnly)
            {
                FunctionConfigurationJson.Write(writer, version, arn, function.LastModified, PackageOf(version), VpcOf(version), states: true);
                return;
            }

            writer.WriteStartObject();
            writer.WritePropertyName("Configuration"u8);
            FunctionConfigurationJson.Write(writer, version, arn, function.LastModified, PackageOf(version), VpcOf(version), states: true);

            // Lambda's Code.Location is a presigned S3 URL of the package; Cloister serves no S3, so there is none.
            writer.WriteStartObject("Code"u8);
            writer.WriteString("RepositoryType"u8, "S3");
            writer.WriteEndObject();
            if (tagsRefusal is { } refused)
            {
                writer.WriteStartObject("TagsError"u8);
                writer.WriteString("ErrorCode"u8, refused.Code);
                writer.WriteString("Message"u8, refused.Message);
                writer.WriteEndObject();
            }
            else if (!function.Tags.IsEmpty)
            {
                FunctionTags.Write(writer, function.Tags);
            }

            if (function.Model.ReservedConcurrency is { } reserved)
            {
                writer.WriteStartObject("Concurrency"u8);
                writer.WriteNumber("ReservedConcurrentExecutions"u8, reserved);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>ListFunctions with its query parameters <c>FunctionVersion</c>, <c>MaxItems</c> and <c>Marker</c> (the ARN of the last entry of the page before).</summary>
    public InvocationResult List(string? functionVersion, string? maxItems, string? marker)
    {
        // Both members are checked, every violation listed in one refusal, in the model's order.
        var violations = new ConstraintViolations();
        violations.Enum(functionVersion, "functionVersion", "ALL");
        var limit = PageLimit;
        if (maxItems is not null)
        {
            if (!int.TryParse(maxItems, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 10000)
            {
                violations.Add(maxItems, "maxItems", "Member must have value between 1 and 10000");
            }

            limit = Math.Min(limit, PageLimit);
        }

        if (violations.Any)
        {
            return Refusal.Validation(violations.Message, Guid.NewGuid().ToString());
        }

        var all = functionVersion is not null;
        var entries = functions.Deployed().SelectMany(f => Entries(f, all)).ToList();
        var start = 0;
        if (marker is not null)
        {
            var at = entries.FindIndex(e => e.Arn == marker);
            if (at < 0)
            {
                return Refusal.InvalidParameterValue("The marker is not one this listing gave.", Guid.NewGuid().ToString());
            }

            start = at + 1;
        }

        var page = entries.Skip(start).Take(limit).ToList();
        return Json(writer =>
        {
            writer.WriteStartObject();
            if (start + page.Count < entries.Count)
            {
                writer.WriteString("NextMarker"u8, page[^1].Arn);
            }

            writer.WriteStartArray("Functions"u8);
            foreach (var (function, version, arn) in page)
            {
                FunctionConfigurationJson.Write(writer, version, arn, function.LastModified, PackageOf(version), VpcOf(version), states: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>A function's entries in a listing: <c>$LATEST</c> under its unqualified ARN, or with <paramref name="all"/> every version under its qualified ARN, <c>$LATEST</c> first.</summary>
    private IEnumerable<(DeployedFunction Function, FunctionVersion Version, string Arn)> Entries(DeployedFunction function, bool all)
    {
        var name = function.Model.FunctionName;
        var latest = function.Describe(null)!;
        if (!all)
        {
            yield return (function, latest, LambdaFunction.ArnOf(functions.Account, name));
            yield break;
        }

        foreach (var version in function.Model.Versions.Prepend(latest))
        {
            yield return (function, version, LambdaFunction.ArnOf(functions.Account, name, version.Version));
        }
    }

    private CodePackage? PackageOf(FunctionVersion version) =>
        _packages.GetValue(version.Configuration, configuration => new Lazy<CodePackage?>(() => CodePackage.Of(configuration))).Value;

    /// <summary>The VPC of the first of the version's subnets Cloister knows; null outside a VPC or when it knows none.</summary>
    private string? VpcOf(FunctionVersion version) =>
        version.Configuration.Vpc?.SubnetIds.Select(subnet => vpcOfSubnet.GetValueOrDefault(subnet)).FirstOrDefault(vpc => vpc is not null);

    private static InvocationResult Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return new InvocationResult(200, buffer.WrittenMemory.ToArray(), null, null, Guid.NewGuid().ToString());
    }
}
