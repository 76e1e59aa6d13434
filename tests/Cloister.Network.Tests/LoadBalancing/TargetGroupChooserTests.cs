using Cloister.Model.LoadBalancing;
using Cloister.Network.LoadBalancing;

namespace Cloister.Network.Tests.LoadBalancing;

public sealed class TargetGroupChooserTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTime _time = new() { Now = Start };

    [Fact]
    public void Choose_StickinessOff_PicksByWeightAndSetsNoCookie()
    {
        var chooser = new TargetGroupChooser(_time, new Random(3));
        var forward = new ForwardAction([new("blue", 1), new("green", 1)]);

        var choices = Enumerable.Range(0, 50).Select(_ => chooser.Choose(forward, null)).ToList();

        Assert.Equal(["blue", "green"], choices.Select(c => c.GroupId).Distinct().Order());
        Assert.All(choices, c => Assert.Empty(c.SetCookies));
    }

    [Fact]
    public void Choose_NewStay_SetsBothCookiesExpiringWhenTheStayEnds()
    {
        var chooser = new TargetGroupChooser(_time, new Random(3));

        var (group, cookies) = chooser.Choose(new ForwardAction([new("blue", 1), new("green", 1)], StickinessSeconds: 90), null);

        Assert.NotNull(group);
        Assert.Equal(2, cookies.Length);
        Assert.Matches(@"^AWSALBTG=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Expires=Sun, 01 Mar 2026 12:01:30 GMT; Path=/$", cookies[0]);
        Assert.Equal(cookies[0].Replace("AWSALBTG=", "AWSALBTGCORS=", StringComparison.Ordinal) + "; SameSite=None; Secure", cookies[1]);
    }

    [Fact]
    public void Choose_CookieWithinTheStay_KeepsItsGroupEvenAtWeightZero()
    {
        var chooser = new TargetGroupChooser(_time, new Random(5));
        var (group, cookies) = chooser.Choose(new ForwardAction([new("blue", 1), new("green", 1)], StickinessSeconds: 90), null);
        var switched = new ForwardAction([new("blue", group == "blue" ? 0 : 1), new("green", group == "green" ? 0 : 1)], StickinessSeconds: 90);
        _time.Now = Start.AddSeconds(89);

        var later = Enumerable.Range(0, 20).Select(_ => chooser.Choose(switched, ValueOf(cookies[0]))).ToList();

        Assert.All(later, c => Assert.Equal((group, 0), (c.GroupId, c.SetCookies.Length)));
    }

    [Fact]
    public void Choose_EndedAlteredForeignOrUnknownGroupCookie_StartsANewStay()
    {
        var chooser = new TargetGroupChooser(_time, new Random(7));
        var forward = new ForwardAction([new("blue", 1), new("green", 1)], StickinessSeconds: 90);
        var cookie = ValueOf(chooser.Choose(forward, null).SetCookies[0]);
        var foreign = ValueOf(new TargetGroupChooser(_time, new Random(7)).Choose(forward, null).SetCookies[0]);
        var otherGroups = ValueOf(chooser.Choose(new ForwardAction([new("red", 1)], StickinessSeconds: 90), null).SetCookies[0]);
        var altered = (cookie[0] == 'A' ? "B" : "A") + cookie[1..];

        Assert.NotEmpty(chooser.Choose(forward, altered).SetCookies);
        Assert.NotEmpty(chooser.Choose(forward, foreign).SetCookies);
        Assert.NotEmpty(chooser.Choose(forward, otherGroups).SetCookies);
        Assert.NotEmpty(chooser.Choose(forward, "not-a-cookie").SetCookies);
        Assert.Empty(chooser.Choose(forward, cookie).SetCookies);
        _time.Now = Start.AddSeconds(90);
        Assert.NotEmpty(chooser.Choose(forward, cookie).SetCookies);
    }

    [Fact]
    public void Choose_EveryWeightZero_NoGroupAndNoCookie()
    {
        var chooser = new TargetGroupChooser(_time, new Random(1));

        Assert.Equal((null, 0), chooser.Choose(new ForwardAction([new("blue", 0)], StickinessSeconds: 60), null) is var (g, c) ? (g, c.Length) : default);
    }

    private static string ValueOf(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
}
