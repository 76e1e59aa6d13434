using System.Text.Json;

namespace Cloister.Functions.DotnetHost;

/// <summary>
/// The client context (<c>Lambda-Runtime-Client-Context</c>) and Cognito identity (<c>Lambda-Runtime-Cognito-Identity</c>)
/// as Amazon.Lambda.Core's <c>IClientContext</c> and <c>ICognitoIdentity</c>, built from their JSON as Lambda's .NET
/// runtime (Amazon.Lambda.RuntimeSupport) builds them: always an object, even for an absent header, whose members are
/// null where the JSON has nothing; <c>custom</c> and <c>env</c> values as strings (a non-string value as its JSON text).
/// </summary>
internal static class CallerContext
{
    /// <summary>An <paramref name="contract"/> (<c>IClientContext</c>) from the client context JSON; null if it is no interface.</summary>
    public static object? ClientContext(Type? contract, string? json)
    {
        if (contract is not { IsInterface: true })
        {
            return null;
        }

        var values = new Dictionary<string, object?>();
        using var document = Parse(json);
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root)
        {
            if (root.TryGetProperty("client", out var client)
                && client.ValueKind == JsonValueKind.Object
                && contract.GetProperty("Client")?.PropertyType is { IsInterface: true } application)
            {
                values["Client"] = LambdaValueProxy.Create(application, new Dictionary<string, object?>
                {
                    ["InstallationId"] = Text(client, "installation_id"),
                    ["AppTitle"] = Text(client, "app_title"),
                    ["AppVersionName"] = Text(client, "app_version_name"),
                    ["AppVersionCode"] = Text(client, "app_version_code"),
                    ["AppPackageName"] = Text(client, "app_package_name"),
                });
            }

            values["Custom"] = Strings(root, "custom");
            values["Environment"] = Strings(root, "env");
        }

        return LambdaValueProxy.Create(contract, values);
    }

    /// <summary>An <paramref name="contract"/> (<c>ICognitoIdentity</c>) from the identity JSON; null if it is no interface.</summary>
    public static object? Identity(Type? contract, string? json)
    {
        if (contract is not { IsInterface: true })
        {
            return null;
        }

        var values = new Dictionary<string, object?>();
        using var document = Parse(json);
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root)
        {
            values["IdentityId"] = Text(root, "cognitoIdentityId");
            values["IdentityPoolId"] = Text(root, "cognitoIdentityPoolId");
        }

        return LambdaValueProxy.Create(contract, values);
    }

    /// <summary>
    /// The header's JSON; null when absent or not JSON (Lambda's runtime would throw from the property getter; a handler
    /// here sees the members empty instead).
    /// </summary>
    private static JsonDocument? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;

    private static Dictionary<string, string>? Strings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            strings[property.Name] = property.Value.ToString();
        }

        return strings;
    }
}
