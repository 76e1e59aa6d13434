using System.Collections.Frozen;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Policy.Resources;

/// <summary>
/// Lambda functions' resource-based policies as Lambda keeps them: one per function and one per alias or version,
/// written from the <c>AWS::Lambda::Permission</c>s added on each (the statements <c>GetPolicy</c> shows). Whoever
/// decides a <c>lambda:InvokeFunction</c> (API Gateway's integrations, the Invoke API) reads them from here.
/// </summary>
public static class FunctionPolicies
{
    /// <summary>
    /// Every function's policy and each of its aliases' and versions', by <see cref="Key"/>; null where nothing is
    /// granted. <paramref name="onInvalid"/> hears of one that does not compile (with its owner and the reason): it grants nothing.
    /// </summary>
    public static FrozenDictionary<string, Policy?> Compile(AccountContext account, IEnumerable<LambdaFunction> functions, Action<string, string> onInvalid) =>
        functions
            .SelectMany(f => Qualifiers(f).Select(q => (Key: Key(f.FunctionName, q), Policy: Compile(account, f, q, onInvalid))))
            .ToFrozenDictionary(p => p.Key, p => p.Policy, StringComparer.Ordinal);

    /// <summary>The key of a function's policy (<paramref name="qualifier"/> null) or of one of its aliases or versions: <c>NAME</c> or <c>NAME:QUALIFIER</c>.</summary>
    public static string Key(string name, string? qualifier) => qualifier is null ? name : name + ":" + qualifier;

    /// <summary>Null for the function itself, then each of its aliases and versions: each has a policy of its own.</summary>
    public static IEnumerable<string?> Qualifiers(LambdaFunction function) =>
        new string?[] { null }.Concat(function.Aliases.Select(a => a.Name)).Concat(function.Versions.Select(v => v.Version));

    /// <summary>
    /// The resource-based policy of the function (<paramref name="qualifier"/> null) or of one alias or version, as
    /// Lambda writes it from the permissions added on it (one statement each); null when none is.
    /// </summary>
    public static Policy? Compile(AccountContext account, LambdaFunction function, string? qualifier, Action<string, string> onInvalid)
    {
        var permissions = function.Permissions.IsDefault ? [] : function.Permissions.Where(p => p.Qualifier == qualifier).ToList();
        if (permissions.Count == 0)
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            foreach (var permission in permissions)
            {
                json.WriteStartObject();
                json.WriteString("Sid", permission.LogicalId);
                json.WriteString("Effect", "Allow");
                WritePrincipal(json, account, permission.Principal);
                json.WriteString("Action", permission.Action);
                json.WriteString("Resource", LambdaFunction.ArnOf(account, function.FunctionName, qualifier));
                if (permission.SourceArn is not null || permission.SourceAccount is not null)
                {
                    json.WriteStartObject("Condition");
                    if (permission.SourceArn is { } sourceArn)
                    {
                        json.WriteStartObject("ArnLike");
                        json.WriteString("AWS:SourceArn", sourceArn);
                        json.WriteEndObject();
                    }

                    if (permission.SourceAccount is { } sourceAccount)
                    {
                        json.WriteStartObject("StringEquals");
                        json.WriteString("AWS:SourceAccount", sourceAccount);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var parsed = Policy.Parse(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), PolicyParseOptions.Default);
        if (parsed.Policy is null)
        {
            onInvalid("function " + Key(function.FunctionName, qualifier), parsed.ErrorMessage);
        }

        return parsed.Policy;
    }

    /// <summary>Lambda's principal forms: <c>*</c>, an account id, an ARN, or a service.</summary>
    private static void WritePrincipal(Utf8JsonWriter json, AccountContext account, string principal)
    {
        if (principal == "*")
        {
            json.WriteString("Principal", "*");
            return;
        }

        json.WriteStartObject("Principal");
        if (AccountContext.IsAccountId(principal))
        {
            json.WriteString("AWS", $"arn:{account.Partition}:iam::{principal}:root");
        }
        else if (principal.StartsWith("arn:", StringComparison.Ordinal))
        {
            json.WriteString("AWS", principal);
        }
        else
        {
            json.WriteString("Service", principal);
        }

        json.WriteEndObject();
    }
}
