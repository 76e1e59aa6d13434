using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Finds what a template's author most likely meant: the key written for a required property that is missing (in
/// maps the specification's property lists do not cover, such as SAM's own structures), and the accepted property
/// closest to one a type does not have (CloudFormation's "Encountered unsupported property", with a "did you mean").
/// </summary>
internal static class Misspelling
{
    /// <summary>A key of <paramref name="map"/> that differs from <paramref name="wanted"/> by case or by at most two edits.</summary>
    public static string? Of(MapNode map, string wanted)
    {
        if (wanted.Length < 4)
        {
            return null;
        }

        foreach (var entry in map.Entries)
        {
            if (entry.Key != wanted && (string.Equals(entry.Key, wanted, StringComparison.OrdinalIgnoreCase) || Distance(entry.Key, wanted) <= 2))
            {
                return entry.Key;
            }
        }

        return null;
    }

    /// <summary>
    /// The name of <paramref name="accepted"/> nearest <paramref name="written"/>, a key nothing accepts: the same but for
    /// case, or one edit away (two for a name of eight characters or more), so that a short word is not matched by chance.
    /// </summary>
    public static string? Closest(IEnumerable<string> accepted, string written)
    {
        var allowed = written.Length >= 8 ? 2 : written.Length >= 4 ? 1 : 0;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in accepted)
        {
            var distance = string.Equals(name, written, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(name, written);
            if (distance <= allowed && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(name, best) < 0)))
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best;
    }

    /// <summary>The sentence ending a problem about an unaccepted key: <c> Did you mean 'X'?</c>, or nothing when no name was close.</summary>
    public static string DidYouMean(string? meant) => meant is null ? string.Empty : $" Did you mean '{meant}'?";

    /// <summary>The Levenshtein distance, stopping early once it is certainly above two.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return 3;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
