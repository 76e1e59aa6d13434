using System.Text.RegularExpressions;
using Cloister.Model.Compute;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Lambda versions (<c>AWS::Lambda::Version</c>) and aliases (<c>AWS::Lambda::Alias</c>), each added to its function.
/// A deployment publishes each function once, as Lambda does: publishing again a function whose code and
/// configuration have not changed is refused (PublishVersion), so a second version of a function is an error.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string VersionType = "AWS::Lambda::Version";
    private const string LatestVersion = "$LATEST";

    private void BuildVersions()
    {
        foreach (var r in OfType(VersionType))
        {
            if (FunctionOf(r) is not { } index)
            {
                continue;
            }

            var function = _functions[index];
            if (!function.Versions.IsEmpty)
            {
                // Lambda's words (PublishVersion of an unchanged function, as CloudFormation reports it).
                r.Problem("FunctionName", $"A version for this Lambda function exists ( {function.Versions[^1].Version} ). Modify the function to create a new version.");
                continue;
            }

            var description = r.String("Description");
            if (description is { Length: > 256 })
            {
                r.Problem("Description", "is longer than 256 characters.");
            }

            var snapshot = function with { Permissions = [], Versions = [], Aliases = [] };
            var published = new FunctionVersion(r.LogicalId, ResourceCatalog.FirstVersion, description, snapshot) { ProvisionedConcurrency = ProvisionedConcurrency(r, function, 0) };
            _functions[index] = function with { Versions = function.Versions.Add(published) };
        }

        foreach (var r in OfType("AWS::Lambda::Alias"))
        {
            BuildAlias(r);
        }
    }

    private void BuildAlias(PropertyReader r)
    {
        var name = r.Required("Name");
        if (name.Length > 0 && !IsAliasName(name))
        {
            // Lambda's validation message for CreateAlias's Name.
            r.Problem("Name", $"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        }

        var version = r.Required("FunctionVersion");
        var versionValid = version.Length > 0 && (version == LatestVersion || version.All(char.IsAsciiDigit));
        if (version.Length > 0 && !versionValid)
        {
            r.Problem("FunctionVersion", $"1 validation error detected: Value '{version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
        }

        if (FunctionOf(r) is not { } index || name.Length == 0 || !versionValid)
        {
            return;
        }

        var function = _functions[index];
        var arn = LambdaFunction.ArnOf(account, function.FunctionName);
        if (version != LatestVersion && !function.Versions.Any(v => v.Version == version))
        {
            // CloudFormation reports CreateAlias's refusal of a version the function does not have in these words.
            r.Problem("FunctionVersion", $"Function not found: {arn}:{version}");
            return;
        }

        if (VersionOfAnotherFunction(r, function.FunctionName) is { } other)
        {
            r.Problem("FunctionVersion", $"'{other.LogicalId}' is a version of {other.Function}, not of {function.FunctionName}: an alias invokes a version of its own function.");
            return;
        }

        if (function.Aliases.Any(a => a.Name == name))
        {
            r.Problem("Name", $"Alias already exists: {arn}:{name}");
            return;
        }

        var additional = AdditionalVersion(r, function, version);
        var alias = new FunctionAlias(r.LogicalId, name, version, r.String("Description")) { AdditionalVersion = additional };
        if (r.Map("ProvisionedConcurrencyConfig") is not null)
        {
            alias = alias with { ProvisionedConcurrency = AliasProvisionedConcurrency(r, function, alias) };
        }

        _functions[index] = function with { Aliases = function.Aliases.Add(alias) };
    }

    /// <summary>The index in <see cref="_functions"/> of the function <c>FunctionName</c> names, or null (reported).</summary>
    private int? FunctionOf(PropertyReader r)
    {
        var written = r.Required("FunctionName");
        if (written.Length == 0)
        {
            return null;
        }

        var name = FunctionNameOf(written);
        var index = _functions.FindIndex(f => f.FunctionName == name);
        if (index < 0)
        {
            r.Problem("FunctionName", $"'{written}' is not a function of these templates.");
            return null;
        }

        return index;
    }

    /// <summary>
    /// The version an alias's <c>FunctionVersion</c> takes with <c>Fn::GetAtt V.Version</c> when V is a version of
    /// another function: its number alone would silently name this function's version of that number.
    /// </summary>
    private (string LogicalId, string Function)? VersionOfAnotherFunction(PropertyReader r, string functionName)
    {
        var written = (r.Resource.Declaration.Get("Properties") as MapNode)?.Get("FunctionVersion");
        if (written is not MapNode call || !call.IsIntrinsic(out var intrinsic, out var argument) || intrinsic != "Fn::GetAtt")
        {
            return null;
        }

        var target = argument switch
        {
            ScalarNode dotted => dotted.Value.Split('.')[0],
            ListNode { Items.Length: > 0 } list when list.Items[0] is ScalarNode id => id.Value,
            _ => null,
        };
        var version = _all.FirstOrDefault(x => x.StackName == r.Resource.StackName && x.LogicalId == target && x.Type == VersionType);
        var owner = version is null ? null : FunctionNameOf(version.Prop("FunctionName") ?? string.Empty);
        return owner is not null && owner != functionName ? (version!.LogicalId, owner) : null;
    }

    private static bool IsAliasName(string name) =>
        name.Length <= 128 && !name.All(char.IsAsciiDigit) && AliasName().IsMatch(name);

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasName();
}
