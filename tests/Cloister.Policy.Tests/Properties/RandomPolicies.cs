using System.Text.Json.Nodes;

namespace Cloister.Policy.Tests.Properties;

/// <summary>
/// A seeded generator of policies and request contexts over a small vocabulary, so that random
/// statements and requests overlap often enough to exercise Allow, Deny and implicit deny alike.
/// </summary>
public sealed class RandomPolicies(int seed)
{
    private static readonly string[] Actions = ["execute-api:Invoke", "execute-api:*", "*", "s3:GetObject", "EXECUTE-API:invoke", "execute-api:Inv?ke"];
    private static readonly string[] Resources = ["execute-api:/*", "execute-api:/dev/GET/*", "execute-api:/prod/*", "*", "execute-api:/*/POST/*", "arn:aws:execute-api:*:*:abc123/dev/*"];
    private static readonly string[] RequestResources =
    [
        "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim",
        "arn:aws:execute-api:eu-central-1:111122223333:abc123/prod/POST/claim",
        "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/POST/",
    ];

    private static readonly string[] RequestActions = ["execute-api:Invoke", "execute-api:ManageConnections", "s3:GetObject"];

    private readonly Random _random = new(seed);

    public static ExecuteApiScope Scope { get; } = new("eu-central-1", "111122223333", "abc123");

    public JsonObject Statement(string sid, string? effect = null)
    {
        var statement = new JsonObject
        {
            ["Sid"] = sid,
            ["Effect"] = effect ?? (_random.Next(2) == 0 ? "Allow" : "Deny"),
            ["Principal"] = _random.Next(4) switch
            {
                0 => new JsonObject { ["AWS"] = "111122223333" },
                1 => new JsonObject { ["AWS"] = new JsonArray("arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:user/alice") },
                _ => "*",
            },
            [_random.Next(5) == 0 ? "NotAction" : "Action"] = Pick(Actions),
            [_random.Next(5) == 0 ? "NotResource" : "Resource"] = Pick(Resources),
        };

        var conditions = new JsonObject();
        for (var i = _random.Next(3); i > 0; i--)
        {
            var (op, key, value) = Condition();
            if (!conditions.ContainsKey(op))
            {
                conditions[op] = new JsonObject { [key] = value };
            }
        }

        if (conditions.Count > 0)
        {
            statement["Condition"] = conditions;
        }

        return statement;
    }

    public List<JsonObject> Statements(int count, string prefix = "S") =>
        [.. Enumerable.Range(0, count).Select(i => Statement($"{prefix}{i}"))];

    public static string Document(IEnumerable<JsonObject> statements) =>
        new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements.Select(s => (JsonNode)s.DeepClone())]) }.ToJsonString();

    public RequestContext Context()
    {
        var context = new RequestContext { Action = Pick(RequestActions), Resource = Pick(RequestResources) };
        context.Principal = _random.Next(3) switch
        {
            0 => RequestPrincipal.Aws("arn:aws:iam::111122223333:user/alice"),
            1 => RequestPrincipal.Aws("arn:aws:sts::444455556666:assumed-role/R/s"),
            _ => RequestPrincipal.Anonymous,
        };
        MaybeSet(context, "aws:SourceVpce", "vpce-1", "vpce-2");
        MaybeSet(context, "aws:SourceIp", "10.1.2.3", "192.0.2.1");
        MaybeSet(context, "aws:SecureTransport", "true", "false");
        switch (_random.Next(4))
        {
            case 0:
                context.SetEmpty("aws:TagKeys");
                break;
            case 1:
                context.Add("aws:TagKeys", "env");
                break;
            case 2:
                context.Add("aws:TagKeys", "env");
                context.Add("aws:TagKeys", "team");
                break;
        }

        return context;
    }

    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    private (string Op, string Key, JsonNode Value) Condition() => _random.Next(9) switch
    {
        0 => ("StringEquals", "aws:SourceVpce", Pick(["vpce-1", "vpce-2"])),
        1 => ("StringNotEquals", "aws:SourceVpce", Pick(["vpce-1", "vpce-2"])),
        2 => ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
        3 => ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
        4 => ("Bool", "aws:SecureTransport", Pick(["true", "false"])),
        5 => ("ForAnyValue:StringEquals", "aws:TagKeys", "team"),
        6 => ("ForAllValues:StringEquals", "aws:TagKeys", new JsonArray("env", "team")),
        7 => ("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"),
        _ => ("Null", "aws:SourceIp", Pick(["true", "false"])),
    };

    private void MaybeSet(RequestContext context, string key, string first, string second)
    {
        switch (_random.Next(3))
        {
            case 0:
                context.Set(key, first);
                break;
            case 1:
                context.Set(key, second);
                break;
        }
    }

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
