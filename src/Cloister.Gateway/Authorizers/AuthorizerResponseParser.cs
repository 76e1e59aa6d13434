using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cloister.Policy;

namespace Cloister.Gateway.Authorizers;

/// <summary>
/// Reads a Lambda authorizer's output: <c>principalId</c>, <c>policyDocument</c> (an IAM identity policy),
/// optional <c>context</c> (string, number and boolean values only) and <c>usageIdentifierKey</c>.
/// Anything else is a configuration error, as in API Gateway.
/// </summary>
internal static class AuthorizerResponseParser
{
    public static bool TryParse(ReadOnlyMemory<byte> payload, long latencyMs, out AuthorizerResult? result, out string reason)
    {
        result = null;
        reason = string.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            reason = "the output is not JSON";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the output is not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("principalId", out var principal) || principal.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                reason = "principalId is missing";
                return false;
            }

            if (!root.TryGetProperty("policyDocument", out var policyElement) || policyElement.ValueKind != JsonValueKind.Object)
            {
                reason = "policyDocument is missing or not an object";
                return false;
            }

            var parsed = Cloister.Policy.Policy.Parse(policyElement.GetRawText(), PolicyParseOptions.ForAuthorizer);
            if (parsed.Policy is null)
            {
                reason = "policyDocument is not a valid policy: " + parsed.ErrorMessage;
                return false;
            }

            var context = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
            if (root.TryGetProperty("context", out var contextElement) && contextElement.ValueKind != JsonValueKind.Null)
            {
                if (contextElement.ValueKind != JsonValueKind.Object)
                {
                    reason = "context is not an object";
                    return false;
                }

                foreach (var property in contextElement.EnumerateObject())
                {
                    string? value = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.GetRawText(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => null,
                    };
                    if (value is null)
                    {
                        reason = $"context.{property.Name} is not a string, number or boolean";
                        return false;
                    }

                    context.Add(KeyValuePair.Create(property.Name, value));
                }
            }

            string? usageKey = root.TryGetProperty("usageIdentifierKey", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
            var principalId = principal.ValueKind == JsonValueKind.String
                ? principal.GetString()!
                : principal.GetRawText().ToString(CultureInfo.InvariantCulture);
            result = new AuthorizerResult(principalId, parsed.Policy, context.ToImmutable(), usageKey, latencyMs);
            return true;
        }
    }

    /// <summary>Whether a function error is the <c>Unauthorized</c> an authorizer raises to make API Gateway answer 401.</summary>
    public static bool IsUnauthorized(ReadOnlyMemory<byte> errorPayload) => ErrorMessage(errorPayload) == "Unauthorized";

    /// <summary>The <c>errorMessage</c> of a function error's payload; null when it has none (or is not JSON).</summary>
    public static string? ErrorMessage(ReadOnlyMemory<byte> errorPayload)
    {
        try
        {
            using var document = JsonDocument.Parse(errorPayload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorMessage", out var message)
                && message.ValueKind == JsonValueKind.String
                    ? message.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
