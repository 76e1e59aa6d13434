using System.Text.Json.Nodes;

namespace Cloister.Policy.Tests.Corpus;

/// <summary>One case of policy-corpus.json, with the policy document already resolved to text.</summary>
public sealed record CorpusCase(
    string Name,
    string PolicyJson,
    string Action,
    string Resource,
    string? Principal,
    JsonObject? Context,
    string Expect,
    IReadOnlyList<string>? Deciding,
    IReadOnlyList<string> Problems)
{
    public const string DefaultResource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim";

    public static readonly ExecuteApiScope Scope = new("eu-central-1", "111122223333", "abc123");

    /// <summary>Builds the request context the case describes.</summary>
    public RequestContext BuildContext()
    {
        var context = new RequestContext { Action = Action, Resource = Resource };
        if (Principal is not null)
        {
            context.Principal = Principal switch
            {
                _ when Principal.StartsWith("service:", StringComparison.Ordinal) => RequestPrincipal.Service(Principal["service:".Length..]),
                _ when Principal.StartsWith("federated:", StringComparison.Ordinal) => RequestPrincipal.Federated(Principal["federated:".Length..]),
                _ => RequestPrincipal.Aws(Principal),
            };
        }

        foreach (var (key, value) in Context ?? [])
        {
            if (value is JsonArray array)
            {
                if (array.Count == 0)
                {
                    context.SetEmpty(key);
                }

                foreach (var item in array)
                {
                    context.Add(key, item!.GetValue<string>());
                }
            }
            else
            {
                context.Set(key, value!.GetValue<string>());
            }
        }

        return context;
    }
}
