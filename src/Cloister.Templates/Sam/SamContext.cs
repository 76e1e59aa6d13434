using Cloister.Model;
using Cloister.Model.Validation;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// What the SAM transform works with: the template's file, the problems and the Globals (only the properties
/// SAM supports, see <see cref="SamGlobals"/>), the template's parameters with the values given for them, the account
/// and region, and what it adds to the whole template as it goes.
/// </summary>
internal sealed class SamContext(string file, ProblemCollector problems, MapNode? globals, MapNode? parameters, IReadOnlyDictionary<string, string> given, AccountContext account, StaticValues? values)
{
    public string File { get; } = file;

    /// <summary>The account, region and partition the stack is made in (SAM knows the region and the partition).</summary>
    public AccountContext Account { get; } = account;

    public ProblemCollector Problems { get; } = problems;

    /// <summary>
    /// The text a node resolves to from the parameters, pseudo parameters, mappings and conditions alone, as the stack's
    /// evaluation will resolve it; null when it needs more, or when the template is transformed on its own.
    /// </summary>
    public string? StaticText(Node node) => values?.Text(node);

    /// <summary>The referenceable properties of the SAM resources expanded so far (<c>MyApi.Stage</c>...).</summary>
    public SamReferences References { get; } = new();

    /// <summary>Conditions SAM adds to the template's Conditions section (combined conditions of conditional functions).</summary>
    public List<MapEntry> AddedConditions { get; } = [];

    /// <summary>
    /// The value of the template's parameter <paramref name="name"/> as SAM knows it when it transforms: the value given,
    /// else its Default. Null when the template declares no such parameter or it has neither (reported with the parameters).
    /// </summary>
    public string? ParameterValue(string name) =>
        parameters?.Get(name) is MapNode definition && ParameterResolver.GivenOrDefault(name, definition, given) is var (text, _) ? text : null;

    /// <summary>Whether the template declares the parameter <paramref name="name"/>.</summary>
    public bool IsParameter(string name) => parameters?.Get(name) is not null;

    public void Problem(string resource, string property, string message, SourceLocation at) => Problems.Add(resource, property, message, at);

    /// <summary>
    /// A resource's properties with the Globals of <paramref name="section"/> merged in as SAM merges them:
    /// the resource's scalars win, maps merge key by key, lists add up (globals first).
    /// </summary>
    public MapNode WithGlobals(string section, MapNode? properties, SourceLocation at)
    {
        properties ??= new MapNode([], at);
        return globals?.Get(section) is MapNode defaults ? Merge(defaults, properties) : properties;
    }

    private static MapNode Merge(MapNode defaults, MapNode own)
    {
        var result = own;
        foreach (var entry in defaults.Entries)
        {
            var mine = own.Get(entry.Key);
            result = mine switch
            {
                null => result.With(entry.Key, entry.Value),
                MapNode m when entry.Value is MapNode d && !m.IsIntrinsic(out _, out _) && !d.IsIntrinsic(out _, out _) => result.With(entry.Key, Merge(d, m)),
                ListNode l when entry.Value is ListNode d => result.With(entry.Key, l with { Items = d.Items.AddRange(l.Items) }),
                _ => result,
            };
        }

        return result;
    }
}
