using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Templates;

namespace Cloister.Host.Update;

/// <summary>
/// Gives a reloaded deployment the physical ids of the running one. Loading a template draws every generated id
/// (<c>vpc-…</c>, a function's generated name, an API's id, an ENI's id) afresh, while CloudFormation's UPDATE keeps
/// the physical id of every resource it does not replace. The running and reloaded deployments are paired where they
/// name the same thing — a stack's resource by stack, logical id and type (its physical id, its id-like attributes),
/// a model record by collection and logical id (its id-like fields) — and each generated token of the reloaded side
/// (where the running side holds one of the same length in the same place) is rewritten to the running one wherever it
/// appears, in ARNs, names and URLs alike. Which tokens were generated is not guessed from their looks (an API id of
/// ten lowercase letters, a load balancer's digits, an endpoint's hashed DNS suffix all look like words or numbers a
/// template may write): the same templates are loaded twice, and a token of one load that the other does not hold
/// anywhere was drawn (<see cref="GeneratedTokens"/>).
/// </summary>
internal static partial class IdAlignment
{
    /// <summary>
    /// The tokens of <paramref name="load"/> that <paramref name="again"/>, a second load of the same templates, holds
    /// nowhere: the ids, names and suffixes the loader drew or derived from a draw.
    /// </summary>
    public static IReadOnlySet<string> GeneratedTokens(TemplateLoadResult load, TemplateLoadResult again)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(again);
        static IEnumerable<string> Tokens(TemplateLoadResult r) =>
            Token().Matches(JsonSerializer.Serialize(r.Model, RuntimeState.Json) + JsonSerializer.Serialize(r.Stacks, RuntimeState.Json)).Select(m => m.Value);
        var written = Tokens(again).ToHashSet(StringComparer.Ordinal);
        return Tokens(load).Where(t => !written.Contains(t)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The reloaded <paramref name="model"/> and <paramref name="stacks"/> with the running deployment's ids, where
    /// <paramref name="generated"/> are the reload's drawn tokens (<see cref="GeneratedTokens"/>).
    /// </summary>
    public static (CloudModel Model, ImmutableArray<StackSummary> Stacks) Align(
        CloudModel runningModel, ImmutableArray<StackSummary> runningStacks, CloudModel model, ImmutableArray<StackSummary> stacks, IReadOnlySet<string> generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        // A stack id ends in a UUID, whose short groups are no token to rewrite alone: the whole id is replaced.
        var stackIds = new List<(string New, string Old)>();
        var pairs = new List<(StackResource Old, StackResource New)>();
        // Every generated token of a reloaded resource's physical id is settled by the pairing of physical ids: found
        // anywhere else (a subnet id in an instance's SubnetId), it names that resource, new or not, and is never remapped.
        var settled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            settled.UnionWith(stack.Resources.SelectMany(r => Token().Matches(r.PhysicalResourceId).Select(m => m.Value)).Where(generated.Contains));
            if (runningStacks.FirstOrDefault(s => s.StackName == stack.StackName) is not { } running)
            {
                continue;
            }

            if (running.StackId != stack.StackId)
            {
                stackIds.Add((stack.StackId, running.StackId));
            }

            pairs.AddRange(stack.Resources
                .Select(r => (Old: running.Resources.FirstOrDefault(o => o.LogicalResourceId == r.LogicalResourceId && o.ResourceType == r.ResourceType), New: r))
                .Where(p => p.Old is not null)
                .Select(p => (p.Old!, p.New)));
        }

        foreach (var (old, next) in pairs)
        {
            Pair(old.PhysicalResourceId, next.PhysicalResourceId, map, ambiguous, settled: new HashSet<string>(StringComparer.Ordinal), generated);
        }

        foreach (var (old, next) in pairs)
        {
            foreach (var (name, value) in next.Attributes.Where(a => IsIdField(a.Key)))
            {
                if (old.Attributes.TryGetValue(name, out var oldValue))
                {
                    Pair(oldValue, value, map, ambiguous, settled, generated);
                }
            }
        }

        var oldModel = JsonSerializer.SerializeToNode(runningModel, RuntimeState.Json)!.AsObject();
        var newModel = JsonSerializer.SerializeToNode(model, RuntimeState.Json)!.AsObject();
        foreach (var (collection, items) in newModel)
        {
            if (items is JsonArray newItems && oldModel[collection] is JsonArray oldItems)
            {
                foreach (var (old, next) in PairByLogicalId(oldItems, newItems))
                {
                    Walk(old, next, field: null, (a, b) => Pair(a, b, map, ambiguous, settled, generated));
                }
            }
        }

        foreach (var token in ambiguous)
        {
            map.Remove(token);
        }

        if (map.Count == 0 && stackIds.Count == 0)
        {
            return (model, stacks);
        }

        string Rewrite(string text)
        {
            foreach (var (next, old) in stackIds)
            {
                text = text.Replace(next, old, StringComparison.Ordinal);
            }

            return Token().Replace(text, m => map.TryGetValue(m.Value, out var old) ? old : m.Value);
        }

        var aligned = JsonSerializer.Deserialize<CloudModel>(Rewrite(newModel.ToJsonString(RuntimeState.Json)), RuntimeState.Json)!;
        return (aligned, [.. stacks.Select(RewriteStack)]);

        StackSummary RewriteStack(StackSummary s) => s with
        {
            StackId = Rewrite(s.StackId),
            Outputs = [.. s.Outputs.Select(o => o with { OutputValue = Rewrite(o.OutputValue) })],
            Resources = [.. s.Resources.Select(r => r with
            {
                PhysicalResourceId = Rewrite(r.PhysicalResourceId),
                Attributes = r.Attributes.ToImmutableDictionary(a => a.Key, a => Rewrite(a.Value), StringComparer.Ordinal),
                PropertiesJson = Rewrite(r.PropertiesJson),
            })],
        };
    }

    /// <summary>Records whose logical id is unique on both sides, paired.</summary>
    private static IEnumerable<(JsonNode Old, JsonNode New)> PairByLogicalId(JsonArray old, JsonArray next)
    {
        static Dictionary<string, JsonNode> Unique(JsonArray items) => items
            .OfType<JsonObject>()
            .Where(i => i["logicalId"] is JsonValue v && v.TryGetValue<string>(out _))
            .GroupBy(i => i["logicalId"]!.GetValue<string>(), StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => (JsonNode)g.Single(), StringComparer.Ordinal);
        var before = Unique(old);
        foreach (var (logicalId, item) in Unique(next))
        {
            if (before.TryGetValue(logicalId, out var previous))
            {
                yield return (previous, item);
            }
        }
    }

    /// <summary>Pairs the id-like fields (<see cref="IsIdField"/>) of two records, at any depth.</summary>
    private static void Walk(JsonNode? old, JsonNode? next, string? field, Action<string, string> pair)
    {
        switch (old, next)
        {
            case (JsonObject a, JsonObject b):
                foreach (var (key, value) in b)
                {
                    if (a.TryGetPropertyValue(key, out var previous))
                    {
                        Walk(previous, value, key, pair);
                    }
                }

                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], b[i], field, pair);
                }

                break;
            case (JsonValue a, JsonValue b) when field is not null && IsIdField(field) && a.TryGetValue<string>(out var x) && b.TryGetValue<string>(out var y):
                pair(x, y);
                break;
        }
    }

    /// <summary>A field (camelCase in the model, PascalCase among attributes) that holds ids, ARNs or generated names.</summary>
    private static bool IsIdField(string name) =>
        name is "id" or "DnsEntries"
        || name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("Ids", StringComparison.Ordinal)
        || name.EndsWith("Arn", StringComparison.Ordinal) || name.EndsWith("Arns", StringComparison.Ordinal)
        || name.EndsWith("Name", StringComparison.Ordinal) || name.EndsWith("Names", StringComparison.Ordinal);

    /// <summary>
    /// Maps each <paramref name="generated"/> token of <paramref name="next"/> to <paramref name="old"/>'s of the same
    /// length in the same place, when the two strings are the same but for such tokens, except the
    /// <paramref name="settled"/> ones. A token mapped to two different ones is ambiguous and left alone.
    /// </summary>
    private static void Pair(string old, string next, Dictionary<string, string> map, HashSet<string> ambiguous, HashSet<string> settled, IReadOnlySet<string> generated)
    {
        if (old == next)
        {
            return;
        }

        var a = Token().Matches(old);
        var b = Token().Matches(next);
        if (a.Count != b.Count || Token().Replace(old, "*") != Token().Replace(next, "*"))
        {
            return;
        }

        var pairs = new List<(string New, string Old)>();
        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i].Value, b[i].Value);
            if (x == y || settled.Contains(y))
            {
                continue;
            }

            if (!generated.Contains(y) || x.Length != y.Length)
            {
                return;
            }

            pairs.Add((y, x));
        }

        foreach (var (token, previous) in pairs)
        {
            if (map.TryGetValue(token, out var known) && known != previous)
            {
                ambiguous.Add(token);
            }

            map[token] = previous;
        }
    }

    [GeneratedRegex("[A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
