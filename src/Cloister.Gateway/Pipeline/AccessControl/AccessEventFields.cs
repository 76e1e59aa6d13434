using System.Text.Json;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>
/// The parts of the proxy event's <c>requestContext</c> access control fills: the signed caller and API key in
/// <c>identity</c>, and <c>authorizer</c> (<c>principalId</c>, <c>integrationLatency</c> and the context map, its
/// values as strings, as REST APIs pass them); <c>authorizer</c> is null without a Lambda authorizer.
/// </summary>
internal static class AccessEventFields
{
    public static void WriteIdentity(Utf8JsonWriter json, RequestState state)
    {
        foreach (var name in (ReadOnlySpan<string>)["cognitoIdentityPoolId", "cognitoIdentityId", "principalOrgId", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "clientCert"])
        {
            json.WriteNull(name);
        }

        Integrations.ProxyEventWriter.WriteNullable(json, "apiKey", state.ApiKey?.Value);
        Integrations.ProxyEventWriter.WriteNullable(json, "apiKeyId", state.ApiKey?.Id);
        Integrations.ProxyEventWriter.WriteNullable(json, "userArn", state.Caller?.UserArn);
        Integrations.ProxyEventWriter.WriteNullable(json, "accessKey", state.Caller?.AccessKey);
        Integrations.ProxyEventWriter.WriteNullable(json, "accountId", state.Caller?.AccountId);
        Integrations.ProxyEventWriter.WriteNullable(json, "caller", state.Caller?.Caller);
        Integrations.ProxyEventWriter.WriteNullable(json, "user", state.Caller?.Caller);
    }

    public static void WriteAuthorizer(Utf8JsonWriter json, RequestState state)
    {
        if (state.Authorizer is not { } authorizer)
        {
            json.WriteNull("authorizer");
            return;
        }

        json.WriteStartObject("authorizer");
        foreach (var (name, value) in authorizer.Context)
        {
            if (name is not ("principalId" or "integrationLatency"))
            {
                json.WriteString(name, value);
            }
        }

        json.WriteString("principalId", authorizer.PrincipalId);
        json.WriteNumber("integrationLatency", authorizer.LatencyMs);
        json.WriteEndObject();
    }
}
