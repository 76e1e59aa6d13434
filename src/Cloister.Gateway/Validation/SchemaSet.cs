using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloister.Model.Api;

namespace Cloister.Gateway.Validation;

/// <summary>
/// An API's models parsed once per catalog version: the schema documents by model name, for <c>$ref</c>s between
/// them, and the <c>pattern</c> regexes compiled as they are first used. Immutable apart from that cache.
/// </summary>
internal sealed class SchemaSet
{
    /// <summary>How long one <c>pattern</c> may run against one string.</summary>
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

    private SchemaSet(string apiId, FrozenDictionary<string, JsonElement> models)
    {
        ApiId = apiId;
        Models = models;
    }

    public string ApiId { get; }

    /// <summary>Each model's schema by name; a model whose schema is not JSON is left out (and validates nothing).</summary>
    public FrozenDictionary<string, JsonElement> Models { get; }

    public static SchemaSet Empty { get; } = new(string.Empty, FrozenDictionary<string, JsonElement>.Empty);

    public static SchemaSet Build(RestApi api)
    {
        var models = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var model in api.Models.IsDefault ? [] : api.Models)
        {
            try
            {
                using var document = JsonDocument.Parse(model.Schema);
                models[model.Name] = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // The template loader reports such a model; the gateway only must not fail on it.
            }
        }

        return new SchemaSet(api.Id, models.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The compiled <c>pattern</c>, with ECMA 262's meaning (<see cref="EcmaPattern"/>); null when it cannot be read.</summary>
    public Regex? Pattern(string pattern) => _patterns.GetOrAdd(pattern, static p =>
    {
        try
        {
            return EcmaPattern.Compile(p, PatternTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    });

    /// <summary>
    /// Resolves a <c>$ref</c> seen in <paramref name="document"/>: <c>#</c> or <c>#/json/pointer</c> within it, or
    /// <c>https://apigateway.amazonaws.com/restapis/{api}/models/{name}</c> (with an optional fragment) to another model.
    /// </summary>
    public bool TryResolve(string reference, JsonElement document, out JsonElement target, out JsonElement targetDocument)
    {
        target = default;
        targetDocument = document;
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var location = hash < 0 ? reference : reference[..hash];
        var fragment = hash < 0 ? string.Empty : reference[(hash + 1)..];
        if (location.Length > 0)
        {
            var prefix = ApiModel.Reference(ApiId, string.Empty);
            if (!location.StartsWith(prefix, StringComparison.Ordinal) || !Models.TryGetValue(location[prefix.Length..], out targetDocument))
            {
                return false;
            }
        }

        return TryPointer(targetDocument, fragment, out target);
    }

    private static bool TryPointer(JsonElement root, string pointer, out JsonElement target)
    {
        target = root;
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(token, out var child))
            {
                target = child;
            }
            else if (target.ValueKind == JsonValueKind.Array && int.TryParse(token, out var index) && index >= 0 && index < target.GetArrayLength())
            {
                target = target[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
