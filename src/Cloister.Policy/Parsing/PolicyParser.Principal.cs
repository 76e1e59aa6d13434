using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Arns;
using Cloister.Policy.Evaluation;

namespace Cloister.Policy.Parsing;

/// <summary>The Principal and NotPrincipal elements.</summary>
internal sealed partial class PolicyParser
{
    private (PrincipalMatcher? Matcher, bool Negated) ParsePrincipalElements(JsonElement statement, string path)
    {
        var required = _options.Kind == PolicyKind.Resource;
        var (element, negated) = Either(statement, path, "Principal", "NotPrincipal", "Missing required field Principal: a resource policy statement must name a Principal or NotPrincipal.", required);
        if (element is not { } value)
        {
            return (null, false);
        }

        var where = $"{path}.{(negated ? "NotPrincipal" : "Principal")}";
        if (!required)
        {
            // IAM's own wording: an identity-based policy applies to its holder.
            Problem(where, "Policy document should not specify a principal.");
            return (null, false);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.GetString() == "*")
            {
                return (new PrincipalMatcher(true, []), negated);
            }

            Problem(where, "must be \"*\" or an object such as {\"AWS\": ...}.");
            return (null, false);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(where, "must be \"*\" or an object such as {\"AWS\": ...}.");
            return (null, false);
        }

        var entries = new List<PrincipalEntry>();
        var everyone = false;
        var any = false;
        CheckElements(value, where, ["AWS", "Service", "Federated", "CanonicalUser"], "principal type");
        foreach (var property in value.EnumerateObject())
        {
            var kind = property.Name switch
            {
                "AWS" => PrincipalKind.Aws,
                "Service" => PrincipalKind.Service,
                "Federated" => PrincipalKind.Federated,
                "CanonicalUser" => PrincipalKind.CanonicalUser,
                _ => (PrincipalKind?)null,
            };
            if (kind is null)
            {
                continue;
            }

            foreach (var (text, at) in ReadStrings(property.Value, $"{where}.{property.Name}"))
            {
                any = true;
                if (text == "*" && kind == PrincipalKind.Aws)
                {
                    everyone = true;
                }
                else if (text.Contains('*', StringComparison.Ordinal) || text.Contains('?', StringComparison.Ordinal))
                {
                    Problem(at, $"Invalid principal in policy: '{text}'; a wildcard may only stand for every principal (\"*\").");
                }
                else if (text.Length == 0)
                {
                    Problem(at, "Invalid principal in policy: empty.");
                }
                else if (kind == PrincipalKind.Aws && ReadAwsPrincipal(text, at) is { } entry)
                {
                    entries.Add(entry);
                }
                else if (kind != PrincipalKind.Aws)
                {
                    entries.Add(new PrincipalEntry(kind.Value, text, IsAccount: false));
                }
            }
        }

        if (!any)
        {
            Problem(where, "Invalid principal in policy: it names no principal.");
        }

        return (new PrincipalMatcher(everyone, [.. entries]), negated);
    }

    private PrincipalEntry? ReadAwsPrincipal(string text, string path)
    {
        if (AccountContext.IsAccountId(text))
        {
            return new PrincipalEntry(PrincipalKind.Aws, text, IsAccount: true);
        }

        if (!Arn.TryParse(text, out var arn) || arn.Service is not ("iam" or "sts") || !AccountContext.IsAccountId(arn.Account))
        {
            Problem(path, $"Invalid principal in policy: '{text}' is neither an account id nor an IAM or STS ARN.");
            return null;
        }

        if (!NamesIdentity(arn.Service, arn.Resource))
        {
            // IAM: "You cannot identify a user group as a principal in a policy"; principals are authenticated identities.
            Problem(path, $"Invalid principal in policy: '{text}' is not an account, user, role, role session or federated user.");
            return null;
        }

        return arn.Service == "iam" && arn.Resource == "root"
            ? new PrincipalEntry(PrincipalKind.Aws, arn.Account, IsAccount: true)
            : new PrincipalEntry(PrincipalKind.Aws, text, IsAccount: false);
    }

    /// <summary>Whether an IAM or STS ARN's resource names something that authenticates: the root, a user, a role, a role session or a federated user.</summary>
    private static bool NamesIdentity(string service, string resource) => service == "iam"
        ? resource == "root" || resource.StartsWith("user/", StringComparison.Ordinal) || resource.StartsWith("role/", StringComparison.Ordinal)
        : resource.StartsWith("assumed-role/", StringComparison.Ordinal) || resource.StartsWith("federated-user/", StringComparison.Ordinal);
}
