using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Cloister.Host;
using Cloister.Model.Network;
using Cloister.Templates;

namespace Cloister.Cli.Commands;

/// <summary>
/// Turns <c>up</c>'s arguments into a deployment: the template paths (the seed architecture when none is given),
/// and each <c>--param KEY=VALUE</c> given to the templates that declare KEY (<c>STACK.KEY=VALUE</c> for one stack).
/// </summary>
internal static partial class StackTemplates
{
    /// <summary>The region of the built-in default stack, as in the tutorial.</summary>
    public const string DefaultStackRegion = "eu-central-1";

    /// <summary>The default templates: the seed architecture and its on-premises network.</summary>
    public static ImmutableArray<string> DefaultTemplates()
    {
        var folder = Path.Combine(RepositoryRoot(), "samples", "seed-architecture");
        return [Path.Combine(folder, "template.yaml"), Path.Combine(folder, "onprem.yaml")];
    }

    /// <summary>Where the samples are: <c>CLOISTER_ROOT</c> (set by <c>./cloister</c>), else the first folder up from here that has them.</summary>
    public static string RepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("CLOISTER_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (Directory.Exists(Path.Combine(dir, "samples", "seed-architecture")))
                {
                    return dir;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// Builds the request and loads it once as the host will; <paramref name="problems"/> lists every error (bad
    /// parameters and every template problem, each with file:line:column, logical id and property). A template is
    /// <c>PATH</c> (stack named after the file) or <c>NAME=PATH</c>, so two <c>template.yaml</c> can be deployed together.
    /// The stacks are deployed in account <paramref name="accountId"/> (a 12-digit id, checked by the caller), so
    /// <c>AWS::AccountId</c> and every ARN the templates make name it.
    /// </summary>
    public static (DeployRequest Request, TemplateLoadResult Loaded) Build(
        IReadOnlyList<string> paths, IReadOnlyList<string> parameters, string region, string accountId, bool ignoreUnsupported, out List<string> problems)
    {
        problems = [];
        var templates = new List<TemplateFile>();
        foreach (var argument in paths)
        {
            if (Named(argument, problems) is { } template)
            {
                templates.AddRange(InFolder(template));
            }
        }

        var given = new List<(string? Stack, string Key, string Value)>();
        foreach (var parameter in parameters)
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"--param {parameter}: expected KEY=VALUE or STACK.KEY=VALUE.");
                continue;
            }

            var key = parameter[..equals];
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            given.Add(dot > 0 ? (key[..dot], key[(dot + 1)..], parameter[(equals + 1)..]) : (null, key, parameter[(equals + 1)..]));
        }

        foreach (var path in templates.Select(t => t.Path).Where(p => !File.Exists(p)))
        {
            problems.Add(Directory.Exists(path) ? FolderProblem(path) : $"{path}: no such template file.");
        }

        problems.AddRange(SameStackName(templates));
        var request = Request(templates, given, region, accountId, ignoreUnsupported, excluded: []);
        if (problems.Count > 0)
        {
            return (request, request.Load(DateTimeOffset.UtcNow));
        }

        // A parameter goes to every template that declares it: drop it where the loader says it is not declared.
        var loaded = request.Load(DateTimeOffset.UtcNow);
        var excluded = loaded.Validation.Problems
            .Where(p => TemplateLoader.IsUndeclaredParameter(p) && p.Location is not null)
            .Select(p => (Path.GetFullPath(p.Location!.File), p.Resource))
            .ToHashSet();
        if (excluded.Count > 0)
        {
            foreach (var (stack, key, _) in given)
            {
                var targets = templates.Where(t => stack is null || t.ResolvedStackName == stack).ToList();
                if (targets.Count == 0)
                {
                    problems.Add($"--param {stack}.{key}: no stack is named {stack}.");
                }
                else if (targets.All(t => excluded.Contains((t.Path, key))))
                {
                    problems.Add($"--param {key}: no template declares a parameter {key}.");
                }
            }

            request = Request(templates, given, region, accountId, ignoreUnsupported, excluded);
            loaded = request.Load(DateTimeOffset.UtcNow);
        }

        problems.AddRange(loaded.Validation.Problems.Select(p => p.ToString()));
        if (problems.Count == 0)
        {
            problems.AddRange(OverlappingVpcs(loaded));
        }

        return (request, loaded);
    }

    /// <summary>
    /// Each VPC whose block overlaps an earlier one's. Legal on AWS unless they are peered, but the fabric routes every
    /// VPC through the region's one router namespace, where the second route fails with RTNETLINK's "File exists".
    /// </summary>
    private static IEnumerable<string> OverlappingVpcs(TemplateLoadResult loaded)
    {
        var earlier = new List<(IPNetwork Block, Vpc Vpc, string Stack)>();
        foreach (var stack in loaded.Stacks)
        {
            foreach (var resource in stack.Resources.Where(r => r.ResourceType == "AWS::EC2::VPC"))
            {
                if (loaded.Model.Vpcs.FirstOrDefault(v => v.Id == resource.PhysicalResourceId) is not { } vpc || !IPNetwork.TryParse(vpc.CidrBlock, out var block))
                {
                    continue;
                }

                foreach (var (other, otherVpc, otherStack) in earlier.Where(e => e.Block.Contains(block.BaseAddress) || block.Contains(e.Block.BaseAddress)))
                {
                    yield return $"{stack.TemplatePath}: {vpc.LogicalId}.Properties.CidrBlock: {vpc.CidrBlock} overlaps VPC {otherVpc.LogicalId} of stack {otherStack} " +
                        $"({otherVpc.CidrBlock}); AWS allows that for VPCs that are not peered, but Cloister's sandbox routes every VPC through one router, so their blocks may not overlap.";
                }

                earlier.Add((block, vpc, stack.StackName));
            }
        }
    }

    private static DeployRequest Request(
        List<TemplateFile> templates, List<(string? Stack, string Key, string Value)> given, string region, string accountId, bool ignoreUnsupported, HashSet<(string, string)> excluded) =>
        new(
            [.. templates.Select(t => new DeployTemplate(
                t.Path,
                t.StackName,
                given.Where(g => (g.Stack is null || g.Stack == t.ResolvedStackName) && !excluded.Contains((t.Path, g.Key)))
                    .ToImmutableDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal)))],
            region,
            ignoreUnsupported,
            ImmutableDictionary<string, string>.Empty)
        {
            AccountId = accountId,
        };

    /// <summary>
    /// <c>PATH</c>, or <c>NAME=PATH</c> naming the stack (a CloudFormation stack name: a letter, then letters, digits
    /// and hyphens, at most 128); an existing file whose name holds '=' is a path. Null, with the problem, for a bad name.
    /// </summary>
    internal static TemplateFile? Named(string argument, List<string> problems)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || File.Exists(argument))
        {
            return new TemplateFile(Path.GetFullPath(argument));
        }

        var name = argument[..equals];
        if (!StackNamePattern().IsMatch(name))
        {
            problems.Add($"{argument}: the stack name '{name}' must start with a letter and hold only letters, digits and hyphens (at most 128 characters).");
            return null;
        }

        return new TemplateFile(Path.GetFullPath(argument[(equals + 1)..])) { StackName = name };
    }

    /// <summary>Each template whose stack name an earlier one already has, with the way to name it.</summary>
    private static IEnumerable<string> SameStackName(List<TemplateFile> templates)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var template in templates)
        {
            if (!first.TryAdd(template.ResolvedStackName, template.Path))
            {
                var suggestion = new TemplateFile(Path.GetDirectoryName(template.Path) ?? "stack").ResolvedStackName;
                yield return $"{template.Path}: stack '{template.ResolvedStackName}' is already {first[template.ResolvedStackName]}; " +
                    $"give this one a stack name of its own as NAME=PATH (cloister up ... {suggestion}={template.Path}).";
            }
        }
    }

    [GeneratedRegex("^[A-Za-z][-A-Za-z0-9]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex StackNamePattern();

    /// <summary>The template names <c>sam deploy</c> looks for in a project folder, in its order.</summary>
    private static readonly string[] SamTemplateNames = ["template.yaml", "template.yml", "template.json"];

    /// <summary>The on-premises file (docs/onprem-file.md) a sample folder keeps next to its template, as the default stack does.</summary>
    private static readonly string[] OnPremisesNames = ["onprem.yaml", "onprem.yml"];

    /// <summary>
    /// A folder given as a template, as <c>sam deploy</c> takes a project folder: its SAM template (<c>template.yaml</c>,
    /// <c>.yml</c> or <c>.json</c>), with its <c>onprem.yaml</c> when it has one, so <c>cloister up samples/onprem-hello</c>
    /// deploys what <c>cloister up</c> deploys for <c>samples/seed-architecture</c>. Other files (another VPC's template) are
    /// named one by one. A NAME given to the folder names its template's stack. A file, or a folder without a SAM
    /// template (refused by <see cref="FolderProblem"/>), is returned as it is.
    /// </summary>
    private static IEnumerable<TemplateFile> InFolder(TemplateFile template)
    {
        if (!Directory.Exists(template.Path)
            || SamTemplateNames.Select(n => Path.Combine(template.Path, n)).FirstOrDefault(File.Exists) is not { } main)
        {
            return [template];
        }

        var onPremises = OnPremisesNames.Select(n => Path.Combine(template.Path, n)).Where(File.Exists).Take(1);
        return [new TemplateFile(main) { StackName = template.StackName }, .. onPremises.Select(f => new TemplateFile(f))];
    }

    /// <summary>A folder given as a template that holds no SAM template: the files in it to give instead.</summary>
    private static string FolderProblem(string folder)
    {
        var candidates = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
            .Order(StringComparer.Ordinal)
            .ToList();
        return candidates.Count == 0
            ? $"{folder}: a folder without a template; it holds no .yaml, .yml or .json file."
            : $"{folder}: a folder without a template.yaml (the file a folder stands for, as with sam deploy); give the template files in it (cloister up {string.Join(' ', candidates)}).";
    }
}
