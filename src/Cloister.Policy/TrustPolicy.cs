using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloister.Policy;

/// <summary>
/// A role's trust policy (<c>AssumeRolePolicyDocument</c>): a resource-based policy whose resource is the role itself,
/// so IAM forbids a Resource element in it. The policy language here requires one in every statement, so a trust
/// policy is compiled with <c>"Resource": "*"</c> added, which stands for the role.
/// </summary>
public static class TrustPolicy
{
    /// <summary>
    /// The trust policy <paramref name="json"/> with <c>"Resource": "*"</c> added to each statement that has no Resource
    /// or NotResource, and the JSON paths (<c>Statement[1]</c>) of the statements that have one, which IAM refuses. A
    /// document that is not JSON is returned as it is, for <see cref="Policy.Parse"/> to report.
    /// </summary>
    public static (string Json, ImmutableArray<string> WithResource) WithRoleAsResource(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var prohibited = ImmutableArray.CreateBuilder<string>();
        try
        {
            var root = JsonNode.Parse(json);
            IEnumerable<(JsonObject? Statement, string Path)> statements = (root as JsonObject)?["Statement"] switch
            {
                JsonObject single => [(single, "Statement")],
                JsonArray many => many.Select((s, i) => (s as JsonObject, $"Statement[{i}]")),
                _ => [],
            };
            foreach (var (statement, path) in statements)
            {
                if (statement is null)
                {
                    continue;
                }

                if (statement.ContainsKey("Resource") || statement.ContainsKey("NotResource"))
                {
                    prohibited.Add(path);
                }
                else
                {
                    statement["Resource"] = "*";
                }
            }

            return (root?.ToJsonString() ?? json, prohibited.ToImmutable());
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON, or an object with a name twice (JsonObject refuses it when first read): the parser reports it.
            return (json, []);
        }
    }

    /// <summary>
    /// Compiles a trust policy as IAM reads it (<see cref="WithRoleAsResource"/>, resource-based, no size limit: the
    /// templates check that). Its problems, including a statement with a Resource, are in the result.
    /// </summary>
    public static PolicyParseResult Parse(string json)
    {
        var (compilable, withResource) = WithRoleAsResource(json);
        var parsed = Policy.Parse(compilable, PolicyParseOptions.Default);
        return withResource.IsEmpty
            ? parsed
            : parsed with { Policy = null, Problems = [.. withResource.Select(path => new PolicyProblem(path, "Has prohibited field Resource.")), .. parsed.Problems] };
    }
}
