using System.Collections.Immutable;
using System.Globalization;
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

    private readonly SealedValues _sealed = new();

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
        if (_sealed.Open(cookie, now) is { } staying && forward.TargetGroups.Any(g => g.TargetGroupId == staying))
        {
            return (staying, []);
        }

        if (WeightedChoice.Pick(forward, random) is not { } picked)
        {
            return (null, []);
        }

        var ends = now.AddSeconds(seconds);
        var value = _sealed.Seal(picked, ends);
        var expires = ends.ToString("R", CultureInfo.InvariantCulture);
        return (picked, [$"{CookieName}={value}; Expires={expires}; Path=/", $"{CorsCookieName}={value}; Expires={expires}; Path=/; SameSite=None; Secure"]);
    }
}
