using System.Net;
using System.Text.Json;
using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Tests.Fakes;

/// <summary>
/// A small but real IAM evaluator behind the authorization port, enough for the gateway's tests:
/// Allow/Deny statements, Action/NotAction, Resource/NotResource with <c>*</c> and <c>?</c> wildcards and the
/// <c>execute-api:/</c> shorthand, and the condition operators StringEquals, StringNotEquals, StringLike,
/// IpAddress and NotIpAddress (values ORed, keys and operators ANDed, keys case-insensitive).
/// Cloister.Policy replaces it in the host.
/// </summary>
public sealed class TestPolicyAuthorizer : IExecuteApiAuthorizer
{
    public IExecuteApiPolicy Compile(string policyDocument, string resourceArn)
    {
        using var document = JsonDocument.Parse(policyDocument);
        var statements = new List<Statement>();
        var root = document.RootElement.GetProperty("Statement");
        foreach (var element in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root])
        {
            statements.Add(Statement.Read(element, resourceArn));
        }

        return new Policy(statements);
    }

    private sealed record Policy(List<Statement> Statements) : IExecuteApiPolicy
    {
        public PolicyDecision Evaluate(AuthorizationRequest request)
        {
            var allowed = false;
            foreach (var statement in Statements)
            {
                if (!statement.Applies(request))
                {
                    continue;
                }

                if (!statement.Allow)
                {
                    return PolicyDecision.ExplicitDeny;
                }

                allowed = true;
            }

            return allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
        }
    }

    private sealed record Condition(string Operator, string Key, List<string> Values);

    private sealed record Statement(bool Allow, List<string> Actions, bool ActionNegated, List<string> Resources, bool ResourceNegated, List<Condition> Conditions)
    {
        public static Statement Read(JsonElement element, string resourceArn)
        {
            var allow = element.GetProperty("Effect").GetString() == "Allow";
            var notAction = element.TryGetProperty("NotAction", out var actionElement);
            if (!notAction)
            {
                actionElement = element.GetProperty("Action");
            }

            var notResource = element.TryGetProperty("NotResource", out var resourceElement);
            if (!notResource)
            {
                resourceElement = element.GetProperty("Resource");
            }

            // "execute-api:/stage/METHOD/path" expands with the API's own ARN.
            var apiArn = resourceArn.EndsWith("/*", StringComparison.Ordinal) ? resourceArn[..^2] : resourceArn;
            var resources = Strings(resourceElement).Select(r => r.StartsWith("execute-api:/", StringComparison.Ordinal) ? apiArn + r["execute-api:".Length..] : r).ToList();
            var conditions = new List<Condition>();
            if (element.TryGetProperty("Condition", out var conditionElement))
            {
                foreach (var op in conditionElement.EnumerateObject())
                {
                    foreach (var key in op.Value.EnumerateObject())
                    {
                        conditions.Add(new Condition(op.Name, key.Name, Strings(key.Value)));
                    }
                }
            }

            return new Statement(allow, Strings(actionElement), notAction, resources, notResource, conditions);
        }

        public bool Applies(AuthorizationRequest request)
        {
            var actionMatches = Actions.Exists(a => Wildcard(a, request.Action, ignoreCase: true));
            var resourceMatches = Resources.Exists(r => Wildcard(r, request.Resource, ignoreCase: false));
            return actionMatches != ActionNegated && resourceMatches != ResourceNegated && Conditions.TrueForAll(c => Holds(c, request.Context));
        }

        private static bool Holds(Condition condition, IReadOnlyDictionary<string, string> context)
        {
            var present = context.TryGetValue(condition.Key, out var value);
            return condition.Operator switch
            {
                "StringEquals" => present && condition.Values.Contains(value!),
                "StringNotEquals" => !present || !condition.Values.Contains(value!),
                "StringLike" => present && condition.Values.Exists(v => Wildcard(v, value!, ignoreCase: false)),
                "IpAddress" => present && condition.Values.Exists(v => InCidr(value!, v)),
                "NotIpAddress" => !present || !condition.Values.Exists(v => InCidr(value!, v)),
                _ => throw new NotSupportedException($"The test evaluator does not know {condition.Operator}."),
            };
        }

        private static bool InCidr(string address, string cidr)
        {
            if (!IPAddress.TryParse(address, out var ip))
            {
                return false;
            }

            var network = cidr.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(cidr) : new IPNetwork(IPAddress.Parse(cidr), 32);
            return network.Contains(ip);
        }
    }

    private static List<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray().Select(e => e.GetString()!)] : [element.GetString()!];

    private static bool Wildcard(string pattern, string text, bool ignoreCase)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex, ignoreCase ? System.Text.RegularExpressions.RegexOptions.IgnoreCase : System.Text.RegularExpressions.RegexOptions.None);
    }
}
