using Cloister.Gateway.Pipeline.AccessControl;

namespace Cloister.Gateway.Tests.Throttling;

public sealed class MethodKeyTests
{
    [Theory]
    [InlineData("/pets/GET", "/pets", "GET")]
    [InlineData("/pets/{id}/delete", "/pets/{id}", "DELETE")]
    [InlineData("//GET", "/", "GET")]
    public void ParseMethodKey_UsagePlanKey_IsPathAndMethod(string key, string path, string method) =>
        Assert.Equal((path, method), AccessCatalog.ParseMethodKey(key));

    [Theory]
    [InlineData("/pets", "GET", "specific")]
    [InlineData("/pets", "POST", "path")]
    [InlineData("/toys", "GET", "default")]
    [InlineData("/", "GET", "root")]
    public void For_SeveralSettings_MostSpecificWins(string path, string method, string expected)
    {
        var settings = System.Collections.Immutable.ImmutableArray.Create(
            new MethodSetting("/*", "*", 1, 1, "default"),
            new MethodSetting("/~1pets", "*", 2, 2, "path"),
            new MethodSetting("/~1pets", "GET", 3, 3, "specific"),
            new MethodSetting("/~1", "GET", 4, 4, "root"),
            new MethodSetting("/~1toys", "GET", null, null, "no throttle"));

        Assert.Equal(expected, MethodSettings.For(settings, path, method)?.LoggingLevel);
    }
}
