using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cloister.Network;

/// <summary>
/// Values handed to a client that it must give back unaltered until an end: <c>payload.mac</c>, both base64url, the
/// payload being the end (Unix milliseconds) and the value, the MAC a truncated HMAC-SHA256 under a key made with this
/// object. The client can read the value but can neither forge one, alter it nor lengthen it, and the server stores
/// nothing per value; a new object (a restart) invalidates every value it did not seal.
/// </summary>
internal sealed class SealedValues
{
    private const int MacLength = 16;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The sealed text of <paramref name="value"/>, valid before <paramref name="ends"/>.</summary>
    public string Seal(string value, DateTimeOffset ends)
    {
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{ends.ToUnixTimeMilliseconds()}|{value}"));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload).AsSpan(0, MacLength));
    }

    /// <summary>The value <paramref name="sealedText"/> holds while it lasts; null when it is missing, forged, altered or ended.</summary>
    public string? Open(string? sealedText, DateTimeOffset now)
    {
        var dot = sealedText?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot < 0)
        {
            return null;
        }

        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(sealedText.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(sealedText.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload).AsSpan(0, MacLength)))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(payload);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ends) && ends > now.ToUnixTimeMilliseconds()
            ? text[(bar + 1)..]
            : null;
    }
}
