using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Finds the key a template's author most likely meant when a property is missing: CloudFormation refuses a property
/// it does not know ("Encountered unsupported property"), where Cloister reads only the properties it needs, so a
/// misspelled one surfaced only as the real one being required.
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
