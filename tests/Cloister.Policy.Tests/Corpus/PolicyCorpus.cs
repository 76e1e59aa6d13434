using System.Text.Json.Nodes;

namespace Cloister.Policy.Tests.Corpus;

/// <summary>Loads policy-corpus.json (copied next to the test assembly) into <see cref="CorpusCase"/>s.</summary>
public static class PolicyCorpus
{
    private static readonly Lazy<IReadOnlyDictionary<string, CorpusCase>> Cases = new(Load);

    public static IReadOnlyDictionary<string, CorpusCase> All => Cases.Value;

    private static Dictionary<string, CorpusCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Corpus", "policy-corpus.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var policies = root["policies"]!.AsObject();
        var cases = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);
        foreach (var node in root["cases"]!.AsArray())
        {
            var item = node!.AsObject();
            var name = item["name"]!.GetValue<string>();
            string policyJson;
            if (item["condition"] is { } condition)
            {
                var statement = new JsonObject
                {
                    ["Sid"] = "T",
                    ["Effect"] = "Allow",
                    ["Principal"] = "*",
                    ["Action"] = "execute-api:Invoke",
                    ["Resource"] = "*",
                    ["Condition"] = condition.DeepClone(),
                };
                policyJson = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) }.ToJsonString();
            }
            else if (item["policy"] is JsonValue reference)
            {
                policyJson = policies[reference.GetValue<string>()]!.ToJsonString();
            }
            else
            {
                policyJson = item["policy"]!.ToJsonString();
            }

            cases.Add(name, new CorpusCase(
                name,
                policyJson,
                item["action"]?.GetValue<string>() ?? "execute-api:Invoke",
                item["resource"]?.GetValue<string>() ?? CorpusCase.DefaultResource,
                item["principal"]?.GetValue<string>(),
                item["context"]?.AsObject(),
                item["expect"]!.GetValue<string>(),
                item["deciding"]?.AsArray().Select(n => n!.GetValue<string>()).ToList(),
                item["problems"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? []));
        }

        return cases;
    }
}
