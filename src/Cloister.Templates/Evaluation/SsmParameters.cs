using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// What a template reads from Parameter Store at deployment: parameters of type
/// <c>AWS::SSM::Parameter::Value&lt;T&gt;</c> and dynamic references <c>{{resolve:ssm:NAME[:VERSION]}}</c>. The
/// sandbox's Parameter Store is started from the templates, so what a deployment can read is what the stacks declare:
/// their <c>AWS::SSM::Parameter</c> resources (version 1 of each) — this stack's with a literal Name and Value, and
/// every resource of the stacks loaded before it. AWS's public <c>/aws/service/</c> image parameters (the latest Amazon
/// Linux AMI...) get a stable, well-formed AMI id of their own, since an instance in Cloister is a network namespace and
/// its image is only an identifier. A parameter value that is not a parameter path (no leading <c>/</c>) is the value
/// itself, which is how a user passes one with <c>--param</c>. Anything else is an error naming the parameter.
/// </summary>
internal static partial class SsmParameters
{
    /// <summary>The resource type of a template's own parameters.</summary>
    public const string ResourceType = "AWS::SSM::Parameter";

    public const string ValueTypePrefix = "AWS::SSM::Parameter::Value<";
    public const string NameType = "AWS::SSM::Parameter::Name";

    /// <summary>The value type of an SSM value parameter type, or null when <paramref name="type"/> is not one.</summary>
    public static string? ValueTypeOf(string type) =>
        type.StartsWith(ValueTypePrefix, StringComparison.Ordinal) && type.EndsWith('>') ? type[ValueTypePrefix.Length..^1] : null;

    /// <summary>
    /// Records in <paramref name="state"/> the parameters a deployment of it can read: those the stacks loaded before
    /// declare, then this stack's with a literal Name and Value in <paramref name="resources"/>.
    /// </summary>
    public static void Declare(MapNode? resources, StackState state)
    {
        foreach (var prior in state.PriorStacks.Values.SelectMany(s => s.Values).Where(r => r.Type == ResourceType))
        {
            if (prior.Prop("Value") is { } value)
            {
                state.DeclaredSsmParameters[prior.RefValue] = value;
            }
        }

        foreach (var entry in resources?.Entries ?? [])
        {
            if (entry.Value is MapNode declaration && declaration.GetString("Type") == ResourceType
                && declaration.Get("Properties") is MapNode properties
                && properties.Get("Name") is ScalarNode { IsNull: false } name
                && properties.Get("Value") is ScalarNode { IsNull: false } value)
            {
                state.DeclaredSsmParameters[name.Value] = value.Value;
            }
        }
    }

    /// <summary>Resolves the parameter path <paramref name="path"/> to the value CloudFormation would read.</summary>
    public static bool TryResolve(string path, string valueType, IReadOnlyDictionary<string, string> declared, out string value)
    {
        if (declared.TryGetValue(path, out var found) || !path.StartsWith('/'))
        {
            value = found ?? path;
            return true;
        }

        if (path.StartsWith("/aws/service/", StringComparison.Ordinal) && valueType == "AWS::EC2::Image::Id")
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(path));
            value = "ami-" + Convert.ToHexStringLower(hash)[..17];
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>
    /// <paramref name="text"/> with each <c>{{resolve:ssm:NAME}}</c> or <c>{{resolve:ssm:NAME:VERSION}}</c> replaced by
    /// the declared value; <paramref name="problem"/> says which reference could not be (the text is then unchanged).
    /// </summary>
    public static string ResolveReferences(string text, IReadOnlyDictionary<string, string> declared, out string? problem)
    {
        string? failed = null;
        var resolved = DynamicReference().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            var version = match.Groups["version"];
            if (!declared.TryGetValue(name, out var value))
            {
                failed ??= $"'{match.Value}' names a parameter the stacks do not declare: Cloister's Parameter Store starts from the templates, so a dynamic reference reads an AWS::SSM::Parameter of this stack (with a literal Name and Value) or of a stack loaded before it.";
                return match.Value;
            }

            if (version.Success && version.Value != "1")
            {
                failed ??= $"'{match.Value}' asks for version {version.Value} of {name}, which a deployment creates at version 1.";
                return match.Value;
            }

            return value;
        });
        problem = failed;
        return failed is null ? resolved : text;
    }

    /// <summary>
    /// Why Systems Manager would refuse <paramref name="name"/> when CloudFormation creates the parameter (its
    /// characters, a path's form, the reserved <c>aws</c>/<c>ssm</c> prefixes, 15 levels); null when it would not.
    /// </summary>
    public static string? NameProblem(string name)
    {
        var first = name.TrimStart('/');
        if (!ParameterName().IsMatch(name) || first.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || first.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{name}' is not a parameter name Systems Manager accepts: letters, digits and _ . - only, a path starting with / and no empty level, not prefixed with aws or ssm.";
        }

        return first.Split('/').Length > 15 ? $"'{name}' has more than 15 levels, the most a parameter hierarchy can have." : null;
    }

    /// <summary>
    /// Why Systems Manager would refuse <paramref name="value"/> for a parameter of <paramref name="tier"/> and
    /// <paramref name="allowedPattern"/> (4 KB for Standard, 8 KB for Advanced, the pattern); null when it would not.
    /// </summary>
    public static string? ValueProblem(string value, string? tier, string? allowedPattern)
    {
        var limit = tier is "Advanced" or "Intelligent-Tiering" ? 8192 : 4096;
        if (Encoding.UTF8.GetByteCount(value) > limit)
        {
            return limit == 4096
                ? "is longer than 4096 bytes, the most a Standard parameter holds: set Tier: Advanced for up to 8 KB."
                : "is longer than 8192 bytes, the most an Advanced parameter holds.";
        }

        try
        {
            return string.IsNullOrEmpty(allowedPattern) || Regex.IsMatch(value, allowedPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
                ? null
                : $"does not match the parameter's AllowedPattern {allowedPattern}.";
        }
        catch (ArgumentException)
        {
            return $"cannot be checked: AllowedPattern {allowedPattern} is not a regular expression.";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"cannot be checked against AllowedPattern {allowedPattern} within a second.";
        }
    }

    [GeneratedRegex(@"^(/?[a-zA-Z0-9_.-]+|(/[a-zA-Z0-9_.-]+)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"\{\{resolve:ssm:(?<name>[a-zA-Z0-9_./-]+)(?::(?<version>[0-9]+))?\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex DynamicReference();
}
