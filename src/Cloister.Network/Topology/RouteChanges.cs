namespace Cloister.Network.Topology;

/// <summary>
/// What changes between two renderings of one namespace when only its subnets' routing tables differ: the
/// <c>ip -batch</c> lines that take the kernel from the old tables to the new (<see cref="Apply"/>) and back
/// (<see cref="Undo"/>). Every other line (addresses, links, rules, main-table host routes) must be the same, in the
/// same order; when it is not, the change is structural (<see cref="Between"/> returns null).
/// </summary>
/// <param name="Apply">Routes replaced (added or changed) and deleted, as <c>ip -batch</c> lines.</param>
/// <param name="Undo">The lines that put the old routes back.</param>
internal sealed record RouteChanges(IReadOnlyList<string> Apply, IReadOnlyList<string> Undo)
{
    private const string Replace = "route replace ";

    private static readonly HashSet<string> Types = new(["blackhole", "unreachable", "prohibit", TableRoute.Throw], StringComparer.Ordinal);

    /// <summary>Whether nothing changes.</summary>
    public bool IsEmpty => Apply.Count == 0;

    /// <summary>The route changes from <paramref name="old"/> to <paramref name="next"/>; null when anything else changes too.</summary>
    public static RouteChanges? Between(NamespacePlan old, NamespacePlan next)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(next);
        if (!old.IpCommands.Where(l => Key(l) is null).SequenceEqual(next.IpCommands.Where(l => Key(l) is null), StringComparer.Ordinal))
        {
            return null;
        }

        var before = Tables(old.IpCommands);
        var after = Tables(next.IpCommands);
        var apply = new List<string>();
        var undo = new List<string>();
        foreach (var (key, line) in after)
        {
            if (!before.TryGetValue(key, out var previous))
            {
                apply.Add(line);
                undo.Add(Delete(key));
            }
            else if (previous != line)
            {
                apply.Add(line);
                undo.Add(previous);
            }
        }

        foreach (var (key, line) in before.Where(b => !after.ContainsKey(b.Key)))
        {
            apply.Add(Delete(key));
            undo.Add(line);
        }

        return new RouteChanges(apply, undo);
    }

    /// <summary>
    /// Each route of a numbered table with the line the kernel holds last for it: lines are written with
    /// <c>replace</c>, so of two for one destination and table the later one stands.
    /// </summary>
    private static Dictionary<(string Destination, string Table), string> Tables(IEnumerable<string> lines)
    {
        var routes = new Dictionary<(string, string), string>();
        foreach (var line in lines)
        {
            if (Key(line) is { } key)
            {
                routes[key] = line;
            }
        }

        return routes;
    }

    /// <summary>The destination and table of a subnet table's route line; null for any other line.</summary>
    private static (string Destination, string Table)? Key(string line)
    {
        if (!line.StartsWith(Replace, StringComparison.Ordinal))
        {
            return null;
        }

        var words = line[Replace.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var table = Array.IndexOf(words, "table");
        if (table < 0 || table + 1 >= words.Length || words.Length == 0)
        {
            return null;
        }

        var destination = Types.Contains(words[0]) && words.Length > 1 ? words[1] : words[0];
        return (destination, words[table + 1]);
    }

    /// <summary>Deletes whatever route the table holds for the destination, whatever its type (<c>ip route del</c> without a type matches any).</summary>
    private static string Delete((string Destination, string Table) key) => $"route del {key.Destination} table {key.Table}";
}
