using System.Collections.Immutable;
using System.Globalization;
using Cloister.Model.Api;
using Cloister.Model.Identifiers;
using Cloister.Templates.Nodes;
using Cloister.Templates.OpenApi;

namespace Cloister.Templates.Mapping;

/// <summary>API Gateway access control: authorizers (resources and OpenAPI security schemes), API keys, usage plans and their keys.</summary>
internal sealed partial class ModelBuilder
{
    private readonly List<Authorizer> _authorizers = [];
    private readonly List<ApiKey> _apiKeys = [];
    private readonly List<UsagePlan> _usagePlans = [];
    private readonly List<UsagePlanKey> _usagePlanKeys = [];

    /// <summary>Authorizers an OpenAPI body declared, now that their API's id is known.</summary>
    private void AddImportedAuthorizers(string apiId, ImportedApi? imported)
    {
        foreach (var authorizer in imported?.Authorizers ?? [])
        {
            _authorizers.Add(authorizer with { RestApiId = apiId });
        }
    }

    /// <summary>Runs after <see cref="BuildApis"/>: usage plans name API stages.</summary>
    private void BuildAccess()
    {
        foreach (var a in OfType("AWS::ApiGateway::Authorizer"))
        {
            var apiId = a.Required("RestApiId");
            if (_apis.All(api => api.Id != apiId))
            {
                a.Problem("RestApiId", $"'{apiId}' is not a REST API of these templates.");
            }

            var typeText = a.Required("Type");
            var type = AuthorizerTypeOf(typeText);
            if (type is null)
            {
                a.Problem("Type", $"'{typeText}' is not TOKEN, REQUEST or COGNITO_USER_POOLS.");
            }

            var uri = a.String("AuthorizerUri");
            if (type is AuthorizerType.Token or AuthorizerType.Request && uri is null)
            {
                a.Problem("AuthorizerUri", "is required for a Lambda authorizer.");
            }

            if (type == AuthorizerType.Token && a.String("IdentitySource") is null)
            {
                a.Problem("IdentitySource", "is required for a TOKEN authorizer (such as method.request.header.Authorization).");
            }

            var ttl = a.Int("AuthorizerResultTtlInSeconds", Authorizer.DefaultResultTtlInSeconds);
            if (ttl is < 0 or > 3600)
            {
                a.Problem("AuthorizerResultTtlInSeconds", $"{ttl} is not between 0 and 3600.");
            }

            _authorizers.Add(new Authorizer(
                a.Id, a.LogicalId, apiId, a.String("Name") ?? a.LogicalId, type ?? AuthorizerType.Token, a.String("IdentitySource"),
                a.String("IdentityValidationExpression"), ttl, uri, a.String("AuthorizerCredentials"), a.Strings("ProviderARNs")));
        }

        foreach (var m in OfType("AWS::ApiGateway::Method"))
        {
            if (m.String("AuthorizationType") is "CUSTOM" or "COGNITO_USER_POOLS")
            {
                var authorizerId = m.String("AuthorizerId", required: true);
                if (authorizerId is not null && !_authorizers.Exists(a => a.Id == authorizerId && a.RestApiId == m.String("RestApiId")))
                {
                    m.Problem("AuthorizerId", $"'{authorizerId}' is not an authorizer of the method's API.");
                }
            }
        }

        foreach (var k in OfType("AWS::ApiGateway::ApiKey"))
        {
            var value = k.String("Value") ?? GeneratedKeyValue();
            if (value.Length < 20 || value.Length > 128)
            {
                k.Problem("Value", "An API key value has 20 to 128 characters.");
            }

            // API Gateway's CreateApiKey leaves a key disabled unless told otherwise.
            _apiKeys.Add(new ApiKey(k.Id, k.LogicalId, k.String("Name") ?? k.LogicalId, value, k.Bool("Enabled", false)));
        }

        foreach (var p in OfType("AWS::ApiGateway::UsagePlan"))
        {
            var stages = p.Maps("ApiStages").Select((s, i) => ApiStage(p, s, $"ApiStages[{i}]"));
            _usagePlans.Add(new UsagePlan(
                p.Id, p.LogicalId, p.String("UsagePlanName") ?? p.LogicalId, [.. stages],
                p.Map("Throttle") is { } throttle ? Throttle(p, throttle, "Throttle") : null,
                p.Map("Quota") is { } quota ? Quota(p, quota) : null));
        }

        foreach (var u in OfType("AWS::ApiGateway::UsagePlanKey"))
        {
            var keyId = u.Required("KeyId");
            var planId = u.Required("UsagePlanId");
            if (u.String("KeyType") is { } keyType && keyType != "API_KEY")
            {
                u.Problem("KeyType", $"'{keyType}' is not API_KEY.");
            }

            if (_apiKeys.All(k => k.Id != keyId))
            {
                u.Problem("KeyId", $"'{keyId}' is not an API key of these templates.");
            }

            if (_usagePlans.All(p => p.Id != planId))
            {
                u.Problem("UsagePlanId", $"'{planId}' is not a usage plan of these templates.");
            }

            _usagePlanKeys.Add(new UsagePlanKey(u.Id, u.LogicalId, keyId, planId));
        }
    }

    private UsagePlanApiStage ApiStage(PropertyReader p, MapNode stage, string path)
    {
        var apiId = p.String(stage, "ApiId", path + ".ApiId", required: true) ?? string.Empty;
        var stageName = p.String(stage, "Stage", path + ".Stage", required: true) ?? string.Empty;
        if (_apis.All(a => a.Id != apiId))
        {
            p.Problem(path + ".ApiId", $"'{apiId}' is not a REST API of these templates.");
        }
        else if (_stages.All(s => s.RestApiId != apiId || s.StageName != stageName))
        {
            p.Problem(path + ".Stage", $"'{stageName}' is not a stage of the API {apiId}; a usage plan needs the stage to exist (DependsOn it).");
        }

        var methods = ImmutableDictionary.CreateBuilder<string, ThrottleSettings>(StringComparer.Ordinal);
        foreach (var entry in (p.Map(stage, "Throttle", path + ".Throttle")?.Entries ?? []))
        {
            if (entry.Value is MapNode settings && entry.Key.LastIndexOf('/') > 0)
            {
                methods[entry.Key] = Throttle(p, settings, $"{path}.Throttle.{entry.Key}");
            }
            else
            {
                p.Problem($"{path}.Throttle.{entry.Key}", "A method throttle is keyed '/{resourcePath}/{HTTPMETHOD}' (such as /pets/GET) and holds BurstLimit and RateLimit.");
            }
        }

        return new UsagePlanApiStage(apiId, stageName, methods.ToImmutable());
    }

    private static ThrottleSettings Throttle(PropertyReader p, MapNode throttle, string path)
    {
        double? rate = null;
        if (p.String(throttle, "RateLimit", path + ".RateLimit") is { } rateText)
        {
            if (double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0)
            {
                rate = parsed;
            }
            else
            {
                p.Problem(path + ".RateLimit", $"'{rateText}' is not a non-negative number of requests per second.");
            }
        }

        int? burst = throttle.Get("BurstLimit") is null ? null : p.Int(throttle, "BurstLimit", path + ".BurstLimit", 0);
        if (burst < 0)
        {
            p.Problem(path + ".BurstLimit", "must not be negative.");
        }

        return new ThrottleSettings(rate, burst);
    }

    private static QuotaSettings? Quota(PropertyReader p, MapNode quota)
    {
        var limit = p.Int(quota, "Limit", "Quota.Limit", -1);
        var periodText = p.String(quota, "Period", "Quota.Period", required: true);
        var offset = p.Int(quota, "Offset", "Quota.Offset", 0);
        QuotaPeriod? period = periodText switch
        {
            "DAY" => QuotaPeriod.Day,
            "WEEK" => QuotaPeriod.Week,
            "MONTH" => QuotaPeriod.Month,
            _ => null,
        };
        if (limit < 0)
        {
            p.Problem("Quota.Limit", "is required and must not be negative.");
        }

        if (period is null)
        {
            if (periodText is not null)
            {
                p.Problem("Quota.Period", $"'{periodText}' is not DAY, WEEK or MONTH.");
            }

            return null;
        }

        var maxOffset = period switch { QuotaPeriod.Day => 0, QuotaPeriod.Week => 6, _ => 27 };
        if (offset < 0 || offset > maxOffset)
        {
            p.Problem("Quota.Offset", $"{offset} is not between 0 and {maxOffset} for a {periodText} quota.");
        }

        return new QuotaSettings(Math.Max(0, limit), period.Value, Math.Clamp(offset, 0, maxOffset));
    }

    /// <summary>API Gateway makes a 40-character value when a key is created without one.</summary>
    private string GeneratedKeyValue() => string.Concat(Enumerable.Range(0, 4).Select(_ => ids.Next(IdKind.ApiKey)));

    internal static AuthorizerType? AuthorizerTypeOf(string? text) => text?.ToUpperInvariant() switch
    {
        "TOKEN" => AuthorizerType.Token,
        "REQUEST" => AuthorizerType.Request,
        "COGNITO_USER_POOLS" => AuthorizerType.CognitoUserPools,
        _ => null,
    };
}
