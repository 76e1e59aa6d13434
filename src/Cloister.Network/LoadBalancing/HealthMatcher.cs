using System.Collections.Immutable;
using System.Globalization;

namespace Cloister.Network.LoadBalancing;

/// <summary>The HTTP codes a health check accepts: <c>200</c>, <c>200,403</c>, <c>200-299</c> or a mix.</summary>
internal sealed class HealthMatcher
{
    private readonly ImmutableArray<(int From, int To)> _ranges;

    private HealthMatcher(ImmutableArray<(int From, int To)> ranges) => _ranges = ranges;

    /// <summary>Parses a matcher; an unreadable part is reported and ignored.</summary>
    public static HealthMatcher Parse(string text, List<string> problems)
    {
        var ranges = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var from = dash < 0 ? part : part[..dash];
            var to = dash < 0 ? part : part[(dash + 1)..];
            if (int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var a) &&
                int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && a is >= 100 and <= 599 && b >= a && b <= 599)
            {
                ranges.Add((a, b));
            }
            else
            {
                problems.Add($"health check matcher '{text}': '{part}' is not an HTTP code or range");
            }
        }

        return new HealthMatcher(ranges.ToImmutable());
    }

    public bool Accepts(int status)
    {
        foreach (var (from, to) in _ranges)
        {
            if (status >= from && status <= to)
            {
                return true;
            }
        }

        return false;
    }
}
