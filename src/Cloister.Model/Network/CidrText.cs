using System.Globalization;
using System.Net;

namespace Cloister.Model.Network;

/// <summary>
/// CIDR text as EC2 reads it: four decimal octets (or an IPv6 address), a slash and a prefix length. .NET's
/// <see cref="IPNetwork.TryParse(string, out IPNetwork)"/> is laxer: it takes inet_aton's short and octal forms
/// (<c>10.1/16</c>; <c>010.0.0.0/16</c> is 8.0.0.0/16) and clears host bits (<c>10.0.1.5/24</c> is 10.0.1.0/24), so a
/// typo would quietly become another network instead of the error EC2 gives. Templates and the model's validation
/// both read CIDR blocks with it.
/// </summary>
public static class CidrText
{
    /// <summary>Whether <paramref name="text"/> is written as EC2 accepts a CIDR block (host bits aside).</summary>
    public static bool IsWellFormed(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IsDecimal(text.AsSpan(slash + 1), out var prefix))
        {
            return false;
        }

        var address = text.AsSpan(0, slash);
        var ipv6 = address.Contains(':');
        if (!ipv6 && !IsDottedQuad(address))
        {
            return false;
        }

        return prefix <= (ipv6 ? 128 : 32) && IPNetwork.TryParse(text, out network);
    }

    /// <summary>Whether the address of <paramref name="text"/> has bits set beyond its prefix (EC2 refuses such a VPC or subnet block).</summary>
    public static bool HasHostBits(string text, IPNetwork network) =>
        !network.BaseAddress.Equals(IPAddress.Parse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal))));

    private static bool IsDottedQuad(ReadOnlySpan<char> address)
    {
        var octets = 0;
        foreach (var range in address.Split('.'))
        {
            if (++octets > 4 || !IsDecimal(address[range], out var octet) || octet > 255)
            {
                return false;
            }
        }

        return octets == 4;
    }

    /// <summary>One to three decimal digits with no leading zero, which inet_aton would read as octal.</summary>
    private static bool IsDecimal(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        return digits.Length is >= 1 and <= 3 && (digits.Length == 1 || digits[0] != '0') && !digits.ContainsAnyExceptInRange('0', '9') &&
            int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
