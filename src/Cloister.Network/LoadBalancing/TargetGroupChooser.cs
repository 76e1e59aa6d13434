using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloister.Model.LoadBalancing;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A forward action's target group for one request: by weight (<see cref="WeightedChoice"/>), or, with target group
/// stickiness, the group the <c>AWSALBTG</c> cookie names while its stay lasts. A new stay sets <c>AWSALBTG</c> and
/// <c>AWSALBTGCORS</c> (<c>SameSite=None; Secure</c>, for cross-origin requests) expiring when the stay ends; a
/// request within the stay sets nothing, so the stay does not grow. The cookie holds the group and the end under an
/// HMAC with a key of this process: a client can neither choose a group nor lengthen its stay (ELB encrypts its
/// cookie under a rotating key; a restart here, like a rotation there, ends every stay). The group is kept while the
/// forward still has it, even at weight 0, so clients finish their stay on the old group of a blue/green switch.
/// </summary>
internal sealed class TargetGroupChooser(TimeProvider time, Random random)
{
    public const string CookieName = "AWSALBTG";

    private const string CorsCookieName = "AWSALBTGCORS";

    private const int MacLength = 16;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The group for the request (null when every weight is 0) and the cookies to set with its response.</summary>
    /// <param name="forward">The forward action.</param>
    /// <param name="cookie">The request's <c>AWSALBTG</c> cookie, if any.</param>
    public (string? GroupId, ImmutableArray<string> SetCookies) Choose(ForwardAction forward, string? cookie)
    {
        if (forward.StickinessSeconds is not { } seconds)
        {
            return (WeightedChoice.Pick(forward, random), []);
        }

        var now = time.GetUtcNow();
        if (StayingIn(cookie, now) is { } staying && forward.TargetGroups.Any(g => g.TargetGroupId == staying))
        {
            return (staying, []);
        }

        if (WeightedChoice.Pick(forward, random) is not { } picked)
        {
            return (null, []);
        }

        var ends = now.AddSeconds(seconds);
        var value = Seal(picked, ends);
        var expires = ends.ToString("R", CultureInfo.InvariantCulture);
        return (picked, [$"{CookieName}={value}; Expires={expires}; Path=/", $"{CorsCookieName}={value}; Expires={expires}; Path=/; SameSite=None; Secure"]);
    }

    /// <summary><c>payload.mac</c>, both base64url: the payload is the stay's end (Unix seconds) and the group's ARN.</summary>
    private string Seal(string groupId, DateTimeOffset ends)
    {
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{ends.ToUnixTimeSeconds()}|{groupId}"));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload).AsSpan(0, MacLength));
    }

    /// <summary>The group a sealed cookie names while its stay lasts; null for a cookie that is missing, forged, altered or ended.</summary>
    private string? StayingIn(string? cookie, DateTimeOffset now)
    {
        var dot = cookie?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot < 0)
        {
            return null;
        }

        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(cookie.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(cookie.AsSpan(dot + 1));
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
        return bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ends) && ends > now.ToUnixTimeSeconds()
            ? text[(bar + 1)..]
            : null;
    }
}
