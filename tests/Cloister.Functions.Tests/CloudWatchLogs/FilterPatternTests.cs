using Cloister.Functions.CloudWatchLogs;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>The filter patterns Cloister reads (docs/logs.md), matched against messages as FilterLogEvents matches them.</summary>
public sealed class FilterPatternTests
{
    [Theory]
    [InlineData("", "anything", true)]
    [InlineData("ERROR", "2026 ERROR disk full", true)]
    [InlineData("ERROR", "2026 error disk full", false)]
    [InlineData("ERROR disk", "disk ERROR", true)]
    [InlineData("ERROR disk", "ERROR memory", false)]
    [InlineData("\"disk full\"", "ERROR disk full", true)]
    [InlineData("\"disk full\"", "full disk", false)]
    [InlineData("?ERROR ?WARN", "WARN low memory", true)]
    [InlineData("?ERROR ?WARN", "INFO fine", false)]
    [InlineData("ERROR -disk", "ERROR memory", true)]
    [InlineData("ERROR -disk", "ERROR disk", false)]
    [InlineData("%REPORT.*Duration%", "REPORT RequestId: 1 Duration: 2 ms", true)]
    [InlineData("%^START%", "REPORT", false)]
    public void Matches_TermPatterns_AsCloudWatchLogsMatchesThem(string pattern, string message, bool expected)
    {
        Assert.Equal(expected, FilterPattern.TryParse(pattern)!.Matches(message));
    }

    [Theory]
    [InlineData("{ $.level = \"ERROR\" }", """{"level":"ERROR"}""", true)]
    [InlineData("{ $.level = \"ERROR\" }", """{"level":"INFO"}""", false)]
    [InlineData("{ $.level != ERROR }", """{"level":"INFO"}""", true)]
    [InlineData("{ $.status >= 500 }", """{"status":503}""", true)]
    [InlineData("{ $.status >= 500 }", """{"status":404}""", false)]
    [InlineData("{ $.user.name = adm* }", """{"user":{"name":"admin"}}""", true)]
    [InlineData("{ $.items[1] = \"b\" }", """{"items":["a","b"]}""", true)]
    [InlineData("{ $.a = 1 && $.b = 2 }", """{"a":1,"b":2}""", true)]
    [InlineData("{ $.a = 1 && $.b = 2 }", """{"a":1,"b":3}""", false)]
    [InlineData("{ ($.a = 9 || $.b = 2) && $.c = x }", """{"a":1,"b":2,"c":"x"}""", true)]
    [InlineData("{ $.missing = 1 }", """{"a":1}""", false)]
    [InlineData("{ $.a = 1 }", "not json", false)]
    public void Matches_JsonPatterns_SelectorsComparedAsCloudWatchLogsDoes(string pattern, string message, bool expected)
    {
        Assert.Equal(expected, FilterPattern.TryParse(pattern)!.Matches(message));
    }

    [Theory]
    [InlineData("[ip, user]")]
    [InlineData("{ $.a = }")]
    [InlineData("{ a = 1 }")]
    [InlineData("{ $.a = 1 ")]
    [InlineData("\"unclosed")]
    [InlineData("%[%")]
    public void TryParse_UnreadablePattern_Null(string pattern)
    {
        Assert.Null(FilterPattern.TryParse(pattern));
    }

    [Fact]
    public void TryParse_RandomAndMutatedPatterns_NeverThrowsAndEndsQuickly()
    {
        var random = new Random(28);
        var seeds = new[] { "{ ($.a = 1 || $.b >= 2) && $.c[0] = \"x*\" }", "?ERROR ?\"disk full\" -debug %a+b%", "[a, b]" };
        const string Alphabet = "{}()[]$.=!<>&|?-\"%* abc019";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5000; i++)
        {
            var chars = seeds[i % seeds.Length].ToCharArray();
            for (var m = 0; m < 3; m++)
            {
                chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            var pattern = FilterPattern.TryParse(new string(chars));
            pattern?.Matches("""{"a":1,"b":2,"c":["x"]} ERROR disk full""");
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
