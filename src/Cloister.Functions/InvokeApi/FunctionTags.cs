using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Functions.Environments;
using Cloister.Functions.Refusals;
using Cloister.Model.Compute;
using Cloister.Shared.Validation;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// Lambda's tagging operations on the stack's functions: ListTags (<c>GET /2017-03-31/tags/{ARN}</c>), TagResource
/// (<c>POST</c>, a body of <c>{"Tags":{...}}</c>) and UntagResource (<c>DELETE</c>, the query's <c>tagKeys</c>), each
/// on a function's unqualified ARN. A change swaps the deployed function's whole tag set, so readers never see half of
/// one; it lasts until the function is deployed again (docs/functions.md, "Tags").
/// </summary>
/// <param name="functions">The deployed functions.</param>
internal sealed partial class FunctionTags(LambdaService functions)
{
    // The ARN pattern of the API reference's Resource (a function, a code signing configuration, an event source mapping).
    private const string ArnPattern = @"arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";

    private const int MaxArnLength = 256;

    /// <summary>ListTags: 200 with <c>{"Tags":{...}}</c>, the keys in ordinal order.</summary>
    public InvocationResult List(string resource)
    {
        if (Find(resource, out var function) is { } refusal)
        {
            return refusal;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Write(writer, function!.Tags);
            writer.WriteEndObject();
        }

        return new InvocationResult(200, buffer.WrittenMemory.ToArray(), null, null, Guid.NewGuid().ToString());
    }

    /// <summary>TagResource: the body's tags added to the function's, a key it has taking the new value; 204.</summary>
    public InvocationResult Tag(string resource, ReadOnlySpan<byte> body)
    {
        // The model's constraints first, every violation listed (Resource, then Tags), then whether the function is here.
        var requestId = Guid.NewGuid().ToString();
        var violations = new ConstraintViolations();
        CheckResource(violations, resource);
        if (ReadTags(body, requestId, out var given, violations) is { } unreadable)
        {
            return unreadable;
        }

        foreach (var (key, value) in given)
        {
            if (key.Length is 0 or > LambdaFunction.MaxTagKeyLength)
            {
                violations.Add(key, "tags", $"Map keys must satisfy constraint: [Member must have length less than or equal to {LambdaFunction.MaxTagKeyLength}, Member must have length greater than or equal to 1]");
            }

            if (value.Length > LambdaFunction.MaxTagValueLength)
            {
                violations.Add(value, "tags", $"Map value must satisfy constraint: [Member must have length less than or equal to {LambdaFunction.MaxTagValueLength}, Member must have length greater than or equal to 0]");
            }
        }

        if (violations.Any)
        {
            return Refusal.Validation(violations.Message, requestId);
        }

        if (Find(resource, out var function) is { } refusal)
        {
            return refusal;
        }

        if (given.Keys.FirstOrDefault(LambdaFunction.IsReservedTagKey) is { } reserved)
        {
            return Reserved(reserved, requestId);
        }

        while (true)
        {
            var read = function!.Tags;
            var changed = read.SetItems(given);
            if (LambdaFunction.UserTagCount(changed.Keys) > LambdaFunction.MaxUserTags)
            {
                return Refusal.InvalidParameterValue("Number of tags exceeds resource tag limit.", requestId);
            }

            if (function.TryChangeTags(read, changed))
            {
                return NoContent(requestId);
            }
        }
    }

    /// <summary>UntagResource: the keys removed (a key the function does not have is no error); 204.</summary>
    public InvocationResult Untag(string resource, IReadOnlyList<string>? keys)
    {
        var requestId = Guid.NewGuid().ToString();
        var violations = new ConstraintViolations();
        CheckResource(violations, resource);
        if (keys is null)
        {
            violations.NotNull("tagKeys");
        }
        else if (keys.FirstOrDefault(key => key.Length is 0 or > LambdaFunction.MaxTagKeyLength) is { } outOfRange)
        {
            violations.Add(outOfRange, "tagKeys", $"Member must satisfy constraint: [Member must have length less than or equal to {LambdaFunction.MaxTagKeyLength}, Member must have length greater than or equal to 1]");
        }

        if (violations.Any)
        {
            return Refusal.Validation(violations.Message, requestId);
        }

        if (Find(resource, out var function) is { } refusal)
        {
            return refusal;
        }

        // Not null: a missing tagKeys was refused with the violations.
        var removed = keys!;
        if (removed.FirstOrDefault(LambdaFunction.IsReservedTagKey) is { } reserved)
        {
            return Reserved(reserved, requestId);
        }

        while (true)
        {
            var read = function!.Tags;
            if (function.TryChangeTags(read, read.RemoveRange(removed)))
            {
                return NoContent(requestId);
            }
        }
    }

    /// <summary>Writes <c>"Tags":{...}</c>, the keys in ordinal order (what ListTags and GetFunction show).</summary>
    public static void Write(Utf8JsonWriter writer, ImmutableDictionary<string, string> tags)
    {
        writer.WriteStartObject("Tags"u8);
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The function an unqualified ARN names, or Lambda's refusal: a value that is no Lambda resource ARN is a
    /// <c>ValidationException</c>; a version's or alias's ARN an <c>InvalidParameterValueException</c> (Lambda keeps tags
    /// on the function only), before whether it exists is looked at; a function that is not deployed here (another
    /// account or region included) a <c>ResourceNotFoundException</c>, as is any resource that is not a function.
    /// </summary>
    private InvocationResult? Find(string resource, out DeployedFunction? function)
    {
        function = null;
        var requestId = Guid.NewGuid().ToString();
        var violations = new ConstraintViolations();
        CheckResource(violations, resource);
        if (violations.Any)
        {
            return Refusal.Validation(violations.Message, requestId);
        }

        var name = LambdaFunction.NameOf(resource, out var qualifier);
        if (!resource.Contains(":function:", StringComparison.Ordinal))
        {
            return Refusal.ResourceNotFound("The resource you requested does not exist.", requestId);
        }

        if (qualifier is not null)
        {
            return Refusal.InvalidParameterValue("Tags on function aliases and versions are not supported. Please specify a function ARN.", requestId);
        }

        function = resource == LambdaFunction.ArnOf(functions.Account, name) ? functions.Deployed(name) : null;
        return function is null ? Refusal.FunctionNotFound(resource, requestId) : null;
    }

    /// <summary>A resource ARN outside the API's pattern (or its length, answered as the pattern): its violation.</summary>
    private static void CheckResource(ConstraintViolations violations, string resource) =>
        violations.Pattern(resource, "resource", resource.Length <= MaxArnLength && Arn().IsMatch(resource), ArnPattern);

    /// <summary>
    /// TagResource's <c>Tags</c>: a JSON object of strings, else Lambda's refusal; with <paramref name="violations"/>, no
    /// <c>Tags</c> is added to them (no tags read) rather than refused alone.
    /// </summary>
    internal static InvocationResult? ReadTags(ReadOnlySpan<byte> body, string requestId, out Dictionary<string, string> tags, ConstraintViolations? violations = null)
    {
        tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out var document))
            {
                return Unreadable(requestId);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return Unreadable(requestId);
                }

                if (!document.RootElement.TryGetProperty("Tags", out var given) || given.ValueKind == JsonValueKind.Null)
                {
                    var missing = violations ?? new ConstraintViolations();
                    missing.NotNull("tags");
                    return violations is null ? Refusal.Validation(missing.Message, requestId) : null;
                }

                if (given.ValueKind != JsonValueKind.Object)
                {
                    return Unreadable(requestId);
                }

                foreach (var tag in given.EnumerateObject())
                {
                    if (tag.Value.ValueKind != JsonValueKind.String)
                    {
                        return Unreadable(requestId);
                    }

                    tags[tag.Name] = tag.Value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            return Unreadable(requestId);
        }

        return null;
    }

    private static InvocationResult Unreadable(string requestId) =>
        Refusal.InvalidRequestContent("Could not parse request body into json: the body is not an object with a Tags map of strings.", requestId);

    private static InvocationResult Reserved(string key, string requestId) =>
        Refusal.InvalidParameterValue($"The tag key '{key}' is not allowed: keys starting with 'aws:' are reserved for AWS's own tags.", requestId);

    private static InvocationResult NoContent(string requestId) => new(204, ReadOnlyMemory<byte>.Empty, null, null, requestId);

    [GeneratedRegex("^(?:" + ArnPattern + ")$", RegexOptions.None, 1000)]
    private static partial Regex Arn();
}
