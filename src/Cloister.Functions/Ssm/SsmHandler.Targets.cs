using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// SendCommand's <c>Targets</c>, as Run Command takes them: one <c>Key=InstanceIds</c> target with up to 50 ids, or up
/// to 5 targets of <c>Key=tag:NAME</c> (the tag's values) and <c>Key=tag-key</c> (tag keys), each with up to 5 values,
/// which an instance must all match (a value of a target matching is enough for that target). They are resolved at
/// send time against the stack's instances and their template tags, among the managed nodes that are online.
/// </summary>
internal sealed partial class SsmHandler
{
    private const int MaxTagTargets = 5;
    private const int MaxTagValues = 5;

    /// <summary>AWS's words for Targets of any other shape.</summary>
    private const string TargetsFormat =
        "Targets must be specified in one of the following formats: 1) 1 target with \"Key=InstanceIds\" and \"Values=\" a list of up to 50 instance IDs, or 2) Up to 5 targets, each of which can be either \"Key=tag:<key>,Values=<tag_values>\" or \"Key=tag-key,Values=<tag_keys>\", and each with up to 5 unique tag keys/values.";

    /// <summary>The call's <c>Targets</c>, checked; null when it names none.</summary>
    private static List<CommandTarget>? Targets(SsmCall call)
    {
        var objects = call.Objects("Targets");
        if (objects.Count == 0)
        {
            return null;
        }

        var targets = new List<CommandTarget>();
        foreach (var target in objects)
        {
            var key = target.TryGetProperty("Key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : throw SsmException.Validation(TargetsFormat);
            var values = target.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw SsmException.Validation(TargetsFormat)).ToList()
                : throw SsmException.Validation(TargetsFormat);
            var tag = key.StartsWith("tag:", StringComparison.Ordinal) && key.Length > 4;
            var fits = key == "InstanceIds" ? values.Count is >= 1 and <= MaxTargets
                : (tag || key == "tag-key") && values.Count is >= 1 and <= MaxTagValues && values.Distinct(StringComparer.Ordinal).Count() == values.Count;
            if (!fits)
            {
                throw SsmException.Validation(TargetsFormat);
            }

            targets.Add(new CommandTarget(key, [.. values]));
        }

        // InstanceIds stands alone; tag targets are at most five.
        return targets.Any(t => t.Key == "InstanceIds") ? targets.Count == 1 ? targets : throw SsmException.Validation(TargetsFormat)
            : targets.Count <= MaxTagTargets ? targets
            : throw SsmException.Validation(TargetsFormat);
    }

    /// <summary>
    /// The instances <paramref name="targets"/> name: the ids of an <c>InstanceIds</c> target as given (checked as
    /// SendCommand's own <c>InstanceIds</c> are), else every online managed node of the stack whose tags match every target.
    /// </summary>
    private List<string> Resolve(List<CommandTarget> targets, long nowMilliseconds) =>
        targets[0].Key == "InstanceIds"
            ? [.. targets[0].Values]
            : [.. instances
                .Where(i => nodes.IsOnline(i.InstanceId, nowMilliseconds) && targets.All(t => Matches(i, t)))
                .Select(i => i.InstanceId)];

    private static bool Matches(SsmInstance instance, CommandTarget target) =>
        target.Key == "tag-key"
            ? target.Values.Any(instance.Tags.ContainsKey)
            : instance.Tags.TryGetValue(target.Key["tag:".Length..], out var value) && target.Values.Contains(value);
}
