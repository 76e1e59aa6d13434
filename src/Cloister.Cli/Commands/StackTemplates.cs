using System.Collections.Immutable;
using Cloister.Host;
using Cloister.Templates;

namespace Cloister.Cli.Commands;

/// <summary>
/// Turns <c>up</c>'s arguments into a deployment: the template paths (the seed architecture when none is given),
/// and each <c>--param KEY=VALUE</c> given to the templates that declare KEY (<c>STACK.KEY=VALUE</c> for one stack).
/// </summary>
internal static class StackTemplates
{
    /// <summary>The region of the built-in default stack, as in the tutorial.</summary>
    public const string DefaultStackRegion = "eu-central-1";

    private const string Undeclared = "was given a value but the template does not declare it";

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
    /// parameters and every template problem, each with file:line:column, logical id and property).
    /// </summary>
    public static (DeployRequest Request, TemplateLoadResult Loaded) Build(
        IReadOnlyList<string> paths, IReadOnlyList<string> parameters, string region, bool ignoreUnsupported, out List<string> problems)
    {
        problems = [];
        var templates = paths.Select(p => Path.GetFullPath(p)).ToList();
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

        foreach (var path in templates.Where(p => !File.Exists(p)))
        {
            problems.Add(Directory.Exists(path) ? FolderProblem(path) : $"{path}: no such template file.");
        }

        var request = Request(templates, given, region, ignoreUnsupported, excluded: []);
        if (problems.Count > 0)
        {
            return (request, request.Load(DateTimeOffset.UtcNow));
        }

        // A parameter goes to every template that declares it: drop it where the loader says it is not declared.
        var loaded = request.Load(DateTimeOffset.UtcNow);
        var excluded = loaded.Validation.Problems
            .Where(p => p.Message.Contains(Undeclared, StringComparison.Ordinal) && p.Location is not null)
            .Select(p => (Path.GetFullPath(p.Location!.File), p.Resource))
            .ToHashSet();
        if (excluded.Count > 0)
        {
            foreach (var (stack, key, _) in given)
            {
                var targets = templates.Where(t => stack is null || StackName(t) == stack).ToList();
                if (targets.Count == 0)
                {
                    problems.Add($"--param {stack}.{key}: no stack is named {stack}.");
                }
                else if (targets.All(t => excluded.Contains((t, key))))
                {
                    problems.Add($"--param {key}: no template declares a parameter {key}.");
                }
            }

            request = Request(templates, given, region, ignoreUnsupported, excluded);
            loaded = request.Load(DateTimeOffset.UtcNow);
        }

        problems.AddRange(loaded.Validation.Problems.Select(p => p.ToString()));
        return (request, loaded);
    }

    private static DeployRequest Request(
        List<string> templates, List<(string? Stack, string Key, string Value)> given, string region, bool ignoreUnsupported, HashSet<(string, string)> excluded) =>
        new(
            [.. templates.Select(t => new DeployTemplate(
                t,
                null,
                given.Where(g => (g.Stack is null || g.Stack == StackName(t)) && !excluded.Contains((t, g.Key)))
                    .ToImmutableDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal)))],
            region,
            ignoreUnsupported,
            ImmutableDictionary<string, string>.Empty);

    private static string StackName(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>A folder given as a template (as <c>sam deploy</c> takes a project folder): the files in it to give instead.</summary>
    private static string FolderProblem(string folder)
    {
        var candidates = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
            .Order(StringComparer.Ordinal)
            .ToList();
        return candidates.Count == 0
            ? $"{folder}: a folder, not a template file; it holds no .yaml, .yml or .json file."
            : $"{folder}: a folder, not a template file; give the template files in it (cloister up {string.Join(' ', candidates)}).";
    }
}
