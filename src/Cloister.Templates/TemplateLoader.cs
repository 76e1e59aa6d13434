using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Identifiers;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Extensions;
using Cloister.Templates.Mapping;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;
using Cloister.Templates.Sam;

namespace Cloister.Templates;

/// <summary>
/// Loads CloudFormation and SAM templates (YAML or JSON) as stacks of one sandbox and turns them into a
/// <see cref="CloudModel"/>. Templates are evaluated in the order given, so a later one can
/// <c>Fn::ImportValue</c> what an earlier one exports. The on-premises network file is one more template.
/// </summary>
public static class TemplateLoader
{
    /// <summary>
    /// Whether <paramref name="problem"/> is CloudFormation's refusal of a value given for a parameter its template does
    /// not declare (the parameter's name is <see cref="ValidationProblem.Resource"/>).
    /// </summary>
    public static bool IsUndeclaredParameter(ValidationProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Property.Length == 0
            && (problem.Message == ParameterResolver.UndeclaredMessage(problem.Resource, templateDeclaresSome: true)
                || problem.Message == ParameterResolver.UndeclaredMessage(problem.Resource, templateDeclaresSome: false));
    }

    /// <summary>Loads <paramref name="templates"/>; read the result's <see cref="TemplateLoadResult.Validation"/> before using the model.</summary>
    public static TemplateLoadResult Load(IReadOnlyList<TemplateFile> templates, TemplateLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(templates);
        options ??= new TemplateLoadOptions();
        var problems = new ProblemCollector();
        var warnings = new List<ValidationProblem>();
        var exports = new ExportRegistry();
        var addresses = new AddressAllocator();
        var byPhysicalId = new Dictionary<string, EvaluatedResource>(StringComparer.Ordinal);
        var stacks = new List<EvaluatedStack>();
        var prior = new Dictionary<string, Dictionary<string, EvaluatedResource>>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var globals = new SamGlobalsOrigins();
        foreach (var template in templates)
        {
            var stackName = template.ResolvedStackName;
            if (!names.Add(stackName))
            {
                problems.Add(TemplateProblems.Template, string.Empty, $"Two templates would both be stack '{stackName}'; give one a StackName.", new SourceLocation(template.Path, 1, 1));
                continue;
            }

            // File and Path methods throw on these rather than fail to find the file.
            if (template.Path.Length == 0 || template.Path.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add(TemplateProblems.Template, string.Empty, "A template's path must be a file name, not empty and without NUL characters.", new SourceLocation(template.Path, 1, 1));
                continue;
            }

            var text = template.Text;
            if (text is null)
            {
                try
                {
                    text = File.ReadAllText(template.Path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add(TemplateProblems.Template, string.Empty, $"Cannot read the template: {e.Message}", new SourceLocation(template.Path, 1, 1));
                    continue;
                }
            }

            var state = new StackState(template.Path, stackName, StackId(options, stackName), options.Account, options.Ids, exports, addresses) { ByPhysicalId = byPhysicalId, PriorStacks = prior };
            var root = TemplateReader.Read(template.Path, text, state.Problems);
            if (root is not MapNode map)
            {
                if (root is not null)
                {
                    state.Problem(TemplateProblems.Template, string.Empty, $"A template must be a map of sections, not {root.KindName}.", root.Location);
                }

                problems.AddRange(state.Problems.ToResult());
                continue;
            }

            state.LanguageExtensions = NodeFactory.Items(map.Get("Transform")).Any(t => t is ScalarNode { Value: SamTransform.LanguageExtensions });
            map = ForEachExpander.Expand(map, state.LanguageExtensions, template.Parameters, state.Problems);

            globals.Add(map);
            map = SamTransform.ApplyIfDeclared(map, template.Path, state.Problems, template.Parameters, options.Account, new StaticValues(state, map, template.Parameters));
            var stack = new StackEvaluator(state, options.IgnoreUnsupported, warnings).Evaluate(map, template.Parameters);
            problems.AddRange(state.Problems.ToResult());
            stacks.Add(stack);
            prior[stackName] = state.Resources;
        }

        var model = new CloudModel { Account = options.Account };
        var code = ImmutableArray<FunctionCode>.Empty;
        if (problems.Count == 0)
        {
            var builder = new ModelBuilder(options.Account, options.Ids, problems) { Now = options.Now, Warnings = warnings };
            foreach (var stack in stacks)
            {
                builder.Add(stack);
            }

            var built = builder.Build();
            code = [.. builder.Code];
            if (problems.Count == 0)
            {
                foreach (var problem in ModelValidator.Validate(built).Problems)
                {
                    problems.Add(problem.Resource, "Properties." + problem.Property, problem.Message, Locate(stacks, problem));
                }

                model = built;
            }
        }

        return new TemplateLoadResult(model, [.. stacks.Select(ToStackSummary)], code, globals.Attribute(problems.ToResult()), globals.Attribute(new ValidationResult([.. warnings])).Problems);
    }

    private static SourceLocation? Locate(List<EvaluatedStack> stacks, ValidationProblem problem)
    {
        var logicalId = problem.Resource.Split('.')[0];
        var resource = stacks.SelectMany(s => s.Resources).FirstOrDefault(r => r.LogicalId == logicalId);
        return resource?.LocationOf(problem.Property.Split('.', '[')[0]);
    }

    private static StackSummary ToStackSummary(EvaluatedStack stack) => new(
        stack.StackName,
        stack.StackId,
        stack.File,
        stack.Outputs,
        [.. stack.Resources.Select(r => new StackResource(
            r.LogicalId,
            r.Type,
            r.RefValue,
            ModelBuilder.ModelledTypes.Contains(r.Type),
            r.Attributes.Where(a => !a.Key.StartsWith("Cloister:", StringComparison.Ordinal)).ToImmutableDictionary(
                a => a.Key,
                a => a.Value is ListNode l ? string.Join(',', l.Items.OfType<ScalarNode>().Select(s => s.Value)) : (a.Value as ScalarNode)?.Value ?? NodeJson.Write(a.Value),
                StringComparer.Ordinal),
            NodeJson.Write(r.Properties))
        {
            DeletionPolicy = r.Declaration.GetString("DeletionPolicy"),
            UpdateReplacePolicy = r.Declaration.GetString("UpdateReplacePolicy"),
        })]);

    private static string StackId(TemplateLoadOptions options, string stackName)
    {
        var hex = options.Ids.Next(IdKind.Vpc)[4..] + options.Ids.Next(IdKind.Vpc)[4..];
        var uuid = $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
        return $"arn:{options.Account.Partition}:cloudformation:{options.Account.Region}:{options.Account.AccountId}:stack/{stackName}/{uuid}";
    }

    /// <summary>The file name without extension, kept to what a stack name may hold (letters, digits, hyphens; a letter first).</summary>
    internal static string DefaultStackName(string path)
    {
        var name = new string(Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length == 0 || !char.IsAsciiLetter(name[0]) ? "stack-" + name : name;
    }
}
