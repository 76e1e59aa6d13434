using System.CommandLine;
using System.Text.Json;
using Cloister.Model.Arns;
using Cloister.Policy;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister policy eval</c>: evaluates a policy document against one request, as API Gateway
/// would (or, with <c>--kind endpoint</c>, as the gateway and the tables service read a VPC endpoint's policy), and
/// says which statements decided. Exit code 0 for Allow, 1 for an explicit or implicit
/// deny, 2 when the policy (or the request described) is malformed.
/// </summary>
internal static class PolicyEvalCommand
{
    /// <summary>What <c>policy eval</c> takes, printed when the parser refuses its arguments.</summary>
    public const string Usage = "usage: cloister policy eval --policy FILE --resource ARN [--action A] [--context K=V]... [--principal P] [--kind api|resource|authorizer|endpoint] [--json]";

    private const int ExitAllow = 0;
    private const int ExitDeny = 1;
    private const int ExitMalformed = 2;

    /// <summary>Creates <c>policy</c> with its <c>eval</c> verb.</summary>
    public static Command Create()
    {
        var policyOption = new Option<FileInfo>("--policy") { Description = "Required. The policy document (JSON file)." };
        var actionOption = new Option<string>("--action") { Description = "The action, e.g. execute-api:Invoke.", DefaultValueFactory = _ => "execute-api:Invoke" };
        var resourceOption = new Option<string>("--resource") { Description = "Required. The resource ARN, e.g. arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim." };
        var contextOption = new Option<string[]>("--context") { Description = "A condition key, KEY=VALUE; repeat a key for a multi-valued key." };
        var principalOption = new Option<string?>("--principal") { Description = "The caller: an IAM ARN or account id, service:NAME, federated:NAME; anonymous when omitted." };
        var kindOption = new Option<string>("--kind")
        {
            Description = "api (API resource policy: 8,192-character limit, execute-api:/ shorthand expanded from --resource), resource, "
                + "authorizer (identity policy), or endpoint (VPC endpoint policy: 20,480 characters whitespace included, Principal required, no shorthand).",
            DefaultValueFactory = _ => "api",
        };
        kindOption.AcceptOnlyFromAmong("api", "resource", "authorizer", "endpoint");
        var jsonOption = new Option<bool>("--json") { Description = "Print the decision as JSON." };

        var eval = new Command("eval", "Evaluate a policy against one request and print the decision and the deciding statements. Exit 0 Allow, 1 deny, 2 malformed policy or request.")
        {
            policyOption, actionOption, resourceOption, contextOption, principalOption, kindOption, jsonOption,
        };
        eval.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(policyOption);
            var resource = parse.GetValue(resourceOption);
            if (file is null || string.IsNullOrEmpty(resource))
            {
                error.WriteLine("policy eval: --policy FILE and --resource ARN are required.");
                return ExitMalformed;
            }

            if (!file.Exists)
            {
                error.WriteLine($"policy eval: no such file: {file.FullName}");
                return ExitMalformed;
            }

            if (!TryBuildContext(parse.GetValue(actionOption)!, resource, parse.GetValue(principalOption), parse.GetValue(contextOption) ?? [], out var context, out var problem))
            {
                error.WriteLine($"policy eval: {problem}");
                return ExitMalformed;
            }

            var parsed = Policy.Policy.Parse(File.ReadAllText(file.FullName), Options(parse.GetValue(kindOption)!, resource));
            var json = parse.GetValue(jsonOption);
            if (!parsed.IsValid)
            {
                if (json)
                {
                    WriteJson(output, parsed, null);
                }
                else
                {
                    error.WriteLine("MalformedPolicyDocument:");
                    foreach (var item in parsed.Problems)
                    {
                        error.WriteLine($"  {item}");
                    }
                }

                return ExitMalformed;
            }

            var explanation = parsed.Policy.Explain(context);
            if (json)
            {
                WriteJson(output, parsed, explanation);
            }
            else
            {
                WriteText(output, explanation);
            }

            return explanation.Decision == Decision.Allow ? ExitAllow : ExitDeny;
        });

        return new Command("policy", "Work with IAM policy documents.") { eval };
    }

    private static PolicyParseOptions Options(string kind, string resource)
    {
        // Read as the gateway and the tables service read an endpoint's policy, so that what is refused or decided here is what they refuse or decide.
        if (kind == "endpoint")
        {
            return PolicyParseOptions.ForVpcEndpoint;
        }

        ExecuteApiScope? api = null;
        if (ExecuteApiArn.TryParse(resource, out var arn))
        {
            api = new ExecuteApiScope(arn.Region, arn.Account, arn.ApiId, arn.Partition);
        }

        return kind switch
        {
            "authorizer" => PolicyParseOptions.ForAuthorizer with { Api = api },
            "resource" => new PolicyParseOptions(PolicyKind.Resource, api),
            _ => new PolicyParseOptions(PolicyKind.Resource, api, PolicyParseOptions.ApiResourcePolicyLimit),
        };
    }

    private static bool TryBuildContext(string action, string resource, string? principal, string[] pairs, out RequestContext context, out string problem)
    {
        context = new RequestContext { Action = action, Resource = resource };
        problem = string.Empty;
        try
        {
            if (!string.IsNullOrEmpty(principal) && principal != "anonymous")
            {
                context.Principal = principal switch
                {
                    _ when principal.StartsWith("service:", StringComparison.Ordinal) => RequestPrincipal.Service(principal["service:".Length..]),
                    _ when principal.StartsWith("federated:", StringComparison.Ordinal) => RequestPrincipal.Federated(principal["federated:".Length..]),
                    _ => RequestPrincipal.Aws(principal),
                };
            }

            var counts = pairs.Select(p => p.Split('=', 2)[0]).GroupBy(k => k, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            foreach (var pair in pairs)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    problem = $"--context '{pair}' is not KEY=VALUE.";
                    return false;
                }

                var key = pair[..equals];
                if (counts[key] > 1)
                {
                    context.Add(key, pair[(equals + 1)..]);
                }
                else
                {
                    context.Set(key, pair[(equals + 1)..]);
                }
            }

            return true;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static void WriteText(TextWriter output, PolicyExplanation explanation)
    {
        output.WriteLine(explanation.Decision);
        var deciding = explanation.DecidingStatements;
        output.WriteLine(deciding.IsEmpty
            ? "Deciding statements: none (no statement allowed the request)"
            : $"Deciding statements: {string.Join(", ", deciding.Select(s => $"{s.Name} ({s.Effect})"))}");
        foreach (var statement in explanation.Statements)
        {
            output.WriteLine($"  {statement.Name} ({statement.Effect}): {statement.Reason}");
        }
    }

    private static void WriteJson(TextWriter output, PolicyParseResult parsed, PolicyExplanation? explanation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            if (explanation is null)
            {
                writer.WriteString("decision", "MalformedPolicyDocument");
                writer.WriteStartArray("problems");
                foreach (var problem in parsed.Problems)
                {
                    writer.WriteStartObject();
                    writer.WriteString("path", problem.Path);
                    writer.WriteString("message", problem.Message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString("decision", explanation.Decision.ToString());
                writer.WriteStartArray("decidingStatements");
                foreach (var statement in explanation.DecidingStatements)
                {
                    WriteStatement(writer, statement);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("statements");
                foreach (var statement in explanation.Statements)
                {
                    WriteStatement(writer, statement);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteStatement(Utf8JsonWriter writer, StatementOutcome statement)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", statement.Index);
        if (statement.Sid is null)
        {
            writer.WriteNull("sid");
        }
        else
        {
            writer.WriteString("sid", statement.Sid);
        }

        writer.WriteString("effect", statement.Effect.ToString());
        writer.WriteBoolean("applies", statement.Applies);
        writer.WriteString("reason", statement.Reason);
        writer.WriteEndObject();
    }
}
