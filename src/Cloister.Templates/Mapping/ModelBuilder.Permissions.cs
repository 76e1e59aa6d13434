using System.Buffers;
using System.Collections.Immutable;
using Cloister.Model.Compute;

namespace Cloister.Templates.Mapping;

/// <summary>Lambda permissions (<c>AWS::Lambda::Permission</c>): each becomes a statement of its function's resource-based policy.</summary>
internal sealed partial class ModelBuilder
{
    private void BuildPermissions()
    {
        var byFunction = new Dictionary<string, ImmutableArray<PermissionStatement>.Builder>(StringComparer.Ordinal);
        foreach (var r in OfType("AWS::Lambda::Permission"))
        {
            var functionName = r.Required("FunctionName");
            var action = r.Required("Action");
            var principal = r.Required("Principal");
            if (action.Length > 0 && !IsLambdaAction(action))
            {
                r.Problem("Action", $"'{action}' is not a Lambda action (lambda:InvokeFunction, lambda:* or another lambda:Name).");
            }

            if (functionName.Length == 0)
            {
                continue;
            }

            var name = FunctionNameOf(functionName, out var qualifier);
            var function = _functions.Find(f => f.FunctionName == name);
            if (function is null)
            {
                // A function made elsewhere (a literal ARN, as a SAM authorizer's FunctionArn may be) cannot run in the
                // sandbox, so its permission has nothing to apply to: said, as for a role outside the templates.
                r.WarningAt(r.Node("FunctionName")!, "FunctionName", $"'{functionName}' is not a function of these templates; Cloister cannot run it, so this permission applies to nothing.");
                continue;
            }

            // $LATEST's policy is the function's own; any other qualifier must be one of its aliases or versions.
            qualifier = qualifier == LatestVersion ? null : qualifier;
            if (qualifier is not null && !function.Aliases.Any(a => a.Name == qualifier) && !function.Versions.Any(v => v.Version == qualifier))
            {
                r.Problem("FunctionName", $"Function not found: {LambdaFunction.ArnOf(account, name, qualifier)}");
                continue;
            }

            if (!byFunction.TryGetValue(name, out var permissions))
            {
                byFunction[name] = permissions = ImmutableArray.CreateBuilder<PermissionStatement>();
            }

            permissions.Add(new PermissionStatement(r.LogicalId, action, principal, r.String("SourceArn"), r.String("SourceAccount"), qualifier));
        }

        for (var i = 0; i < _functions.Count; i++)
        {
            if (byFunction.TryGetValue(_functions[i].FunctionName, out var permissions))
            {
                _functions[i] = _functions[i] with { Permissions = permissions.ToImmutable() };
            }
        }
    }

    private static readonly SearchValues<char> Letters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>Lambda's action pattern: <c>*</c>, <c>lambda:*</c>, or <c>lambda:</c> and letters.</summary>
    private static bool IsLambdaAction(string action) =>
        action is "*" or "lambda:*"
        || (action.StartsWith("lambda:", StringComparison.Ordinal) && action.Length > "lambda:".Length && !action.AsSpan("lambda:".Length).ContainsAnyExcept(Letters));

    /// <summary>
    /// The function a permission's <c>FunctionName</c> names, in any of Lambda's forms: a name (<c>my-function</c>), a
    /// name with a qualifier (<c>my-function:v1</c>), an ARN (<c>arn:aws:lambda:{region}:{account}:function:my-function</c>)
    /// or a partial ARN (<c>{account}:function:my-function</c>), without its qualifier.
    /// </summary>
    internal static string FunctionNameOf(string functionName) => FunctionNameOf(functionName, out _);

    /// <summary>The function <paramref name="functionName"/> names, and its alias or version qualifier (null without one).</summary>
    internal static string FunctionNameOf(string functionName, out string? qualifier) => LambdaFunction.NameOf(functionName, out qualifier);
}
