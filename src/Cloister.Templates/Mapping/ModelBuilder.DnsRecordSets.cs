using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The record sets Route 53 refuses whatever their routing: a CNAME at the apex or beside another record set of its name,
/// a SOA below the apex, an NS record set of a wildcard name, more than one value in a CNAME or SOA, a value twice, a TXT
/// or SPF string over 255 characters. Each is refused at the property, in the words of Route 53's InvalidChangeBatch,
/// which CloudFormation gives as the record set's CREATE_FAILED reason. See docs/templates.md.
/// </summary>
internal sealed partial class ModelBuilder
{
    /// <summary>The longest character string of a TXT or SPF record (RFC 1035 §3.3: a length octet, then the bytes).</summary>
    private const int MaxCharacterString = 255;

    /// <summary>The types whose values are domain names, or a number and domain names, compared without case or final dot.</summary>
    private static readonly HashSet<string> NameValuedTypes = new(StringComparer.Ordinal) { "CNAME", "NS", "PTR", "MX", "SRV" };

    /// <summary>Checks one record set on its own: what its name allows of its type, how many values its type takes, each value once, TXT string lengths.</summary>
    private static void CheckRecordSet(PropertyReader r, string path, string name, string apex, string type, ImmutableArray<string> values)
    {
        if (type == "CNAME" && name == apex)
        {
            r.Problem(path + "Type", $"RRSet of type CNAME with DNS name {name}. is not permitted at apex in zone {apex}.");
        }
        else if (type == "SOA" && name != apex)
        {
            r.Problem(path + "Type", $"RRSet of type SOA with DNS name {name}. is not permitted: a zone has one SOA, at its apex {apex}.");
        }
        else if (type == "NS" && name.StartsWith("*.", StringComparison.Ordinal))
        {
            r.Problem(path + "Type", $"RRSet of type NS with DNS name {name}. is not permitted: you can't use the * wildcard for resource record sets that have a type of NS.");
        }

        if (type is "CNAME" or "SOA" && values.Length > 1)
        {
            r.Problem(path + "ResourceRecords[1]", $"RRSet of type {type} with DNS name {name}. has {values.Length} values; Route 53 takes more than one value for every record type except CNAME and SOA.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var strings = type is "TXT" or "SPF" ? CharacterStrings(value) : null;
            if (strings?.Any(s => s.Length > MaxCharacterString) == true)
            {
                r.Problem(path + $"ResourceRecords[{i}]", $"Invalid Resource Record: FATAL problem: CharacterStringTooLong (Value is too long) encountered with '{value}'; split it into quoted strings of at most 255 characters, such as \"first 255\" \"rest\".");
            }
            else if (!seen.Add(strings is null ? Comparable(type, value) : string.Join('\0', strings)))
            {
                r.Problem(path + $"ResourceRecords[{i}]", $"Duplicate Resource Record: '{value}'");
            }
        }
    }

    /// <summary>
    /// Reports each CNAME of one zone that shares its name with a record set of another type (RFC 1034 §3.6.2), plain,
    /// alias or routed, whichever resource wrote it; the apex's CNAME is refused on its own (its SOA and NS are there).
    /// Which of the two CloudFormation fails depends on the order it creates them; the CNAME is the one reported.
    /// </summary>
    private static void CheckCnameConflicts(IEnumerable<WrittenRecordSet> sets, string apex)
    {
        var written = sets.ToList();
        var namesWithOtherTypes = written.Where(s => s.Set.Type != "CNAME").Select(s => s.Set.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (r, path, set) in written.Where(s => s.Set.Type == "CNAME" && s.Set.Name != apex && namesWithOtherTypes.Contains(s.Set.Name)))
        {
            r.Problem(path + "Type", $"RRSet of type CNAME with DNS name {set.Name}. is not permitted as it conflicts with other records with the same DNS name in zone {apex}.");
        }
    }

    /// <summary>A value as Route 53 compares it: an address in its one form, a domain name without case or final dot.</summary>
    private static string Comparable(string type, string value)
    {
        var text = value.Trim();
        if (type is "A" or "AAAA" && IPAddress.TryParse(text, out var address))
        {
            return address.ToString();
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return NameValuedTypes.Contains(type)
            ? string.Join(' ', words.Select(w => w.TrimEnd('.').ToLowerInvariant()))
            : string.Join(' ', words);
    }

    /// <summary>
    /// The character strings of a TXT or SPF value as zone files write them: quoted strings, or words between spaces,
    /// with <c>\X</c> and <c>\DDD</c> escapes each one character (as the DNS module reads them, so both count alike).
    /// </summary>
    private static List<string> CharacterStrings(string value)
    {
        var strings = new List<string>();
        var i = 0;
        while (i < value.Length)
        {
            if (char.IsWhiteSpace(value[i]))
            {
                i++;
                continue;
            }

            var quoted = value[i] == '"';
            if (quoted)
            {
                i++;
            }

            var text = new StringBuilder();
            while (i < value.Length && (quoted ? value[i] != '"' : !char.IsWhiteSpace(value[i])))
            {
                if (value[i] == '\\' && i + 1 < value.Length)
                {
                    var digits = i + 3 < value.Length && char.IsAsciiDigit(value[i + 1]) && char.IsAsciiDigit(value[i + 2]) && char.IsAsciiDigit(value[i + 3]);
                    text.Append(digits ? (char)int.Parse(value.AsSpan(i + 1, 3), System.Globalization.CultureInfo.InvariantCulture) : value[i + 1]);
                    i += digits ? 4 : 2;
                    continue;
                }

                text.Append(value[i++]);
            }

            i += quoted && i < value.Length ? 1 : 0;
            strings.Add(text.ToString());
        }

        return strings;
    }
}
