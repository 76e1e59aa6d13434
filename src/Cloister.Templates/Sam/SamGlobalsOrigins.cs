using System.Collections.Immutable;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// Where each value of a template's Globals came from. A Globals value is merged into every resource of its section,
/// so a bad one would be found once per resource that inherits it; SAM reports a Globals problem once, at the Globals
/// key, and so does this: every problem located inside a Globals value is moved to <c>Globals.Section.Property</c> and
/// reported once. A resource that sets the property itself never carries the Globals value, so it cannot inherit its problem.
/// </summary>
internal sealed class SamGlobalsOrigins
{
    private readonly Dictionary<SourceLocation, (string Property, SourceLocation Key)> _origins = [];

    /// <summary>Notes the origin of every node under the Globals of <paramref name="root"/> (a template's root map).</summary>
    public void Add(MapNode root)
    {
        if (root.Get("Globals") is not MapNode sections)
        {
            return;
        }

        foreach (var section in sections.Entries)
        {
            foreach (var property in (section.Value as MapNode)?.Entries ?? [])
            {
                Note(property.Value, $"{section.Key}.{property.Key}", property.KeyLocation);
            }
        }
    }

    /// <summary><paramref name="result"/> with each problem inside a Globals value moved to its Globals key, once.</summary>
    public ValidationResult Attribute(ValidationResult result)
    {
        if (_origins.Count == 0 || result.IsValid)
        {
            return result;
        }

        var seen = new HashSet<ValidationProblem>();
        var problems = ImmutableArray.CreateBuilder<ValidationProblem>();
        foreach (var problem in result.Problems)
        {
            var moved = problem.Location is { } at && _origins.TryGetValue(at, out var origin)
                ? new ValidationProblem("Globals", origin.Property, problem.Message, origin.Key)
                : problem;
            if (seen.Add(moved))
            {
                problems.Add(moved);
            }
        }

        return new ValidationResult(problems.ToImmutable());
    }

    private void Note(Node node, string property, SourceLocation key)
    {
        _origins.TryAdd(node.Location, (property, key));
        switch (node)
        {
            case MapNode map:
                foreach (var entry in map.Entries)
                {
                    _origins.TryAdd(entry.KeyLocation, (property, key));
                    Note(entry.Value, property, key);
                }

                break;
            case ListNode list:
                foreach (var item in list.Items)
                {
                    Note(item, property, key);
                }

                break;
        }
    }
}
