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

    private const string Clf = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534";

    [Theory]
    [InlineData("[ip, user, username, timestamp, request, status_code, bytes]", Clf, true)]
    [InlineData("[ip, user, username, timestamp, request, status_code]", Clf, false)]
    [InlineData("[ip, user, username, timestamp, request, status_code, bytes, more]", Clf, false)]
    [InlineData("[..., status_code, bytes]", Clf, true)]
    [InlineData("[ip, user, ...]", Clf, true)]
    [InlineData("[ip = 127.0.0.1, ...]", Clf, true)]
    [InlineData("[ip, user, ..., status_code = 4*, bytes > 1000]", Clf, true)]
    [InlineData("[ip, user, ..., status_code = 4*, bytes > 2000]", Clf, false)]
    [InlineData("[ip, user, ..., status_code = 5*, bytes]", Clf, false)]
    [InlineData("[ip, user, username, timestamp, request = *html*, status_code = 404, bytes]", Clf, true)]
    [InlineData("[ip, user, username, timestamp, request = \"GET /index.html HTTP/1.0\", ...]", Clf, true)]
    [InlineData("[ip, user, username = frank, timestamp = 10/Oct/2000*, ...]", Clf, true)]
    [InlineData("[ip, user, ..., status_code = 4* && status_code != 404, bytes]", Clf, false)]
    [InlineData("[ip, user, ..., status_code = 5* || status_code = 404, bytes]", Clf, true)]
    [InlineData("[ip, user, ..., status_code >= 400 && bytes <= 1534, bytes]", Clf, true)]
    [InlineData("[ip, user != -, ...]", Clf, false)]
    [InlineData("[..., request = %GET /[a-z]+\\.html%, status_code, bytes]", Clf, true)]
    [InlineData("[..., request=*.html*, status_code=4*,]", Clf, true)]
    [InlineData("[..., a, ..., b = 404, ...]", Clf, true)]
    [InlineData("[w1 = ERROR || w1 = WARN, w2]", "WARN message", true)]
    [InlineData("[w1 = ERROR || w1 = WARN, w2]", "INFO message", false)]
    [InlineData("[level, code > 10]", "INFO  \t abc", false)]
    [InlineData("[level, code != 10]", "INFO abc", true)]
    public void Matches_SpaceDelimitedPatterns_FieldsByPositionWithConditions(string pattern, string message, bool expected)
    {
        Assert.Equal(expected, FilterPattern.TryParse(pattern)!.Matches(message));
    }

    [Fact]
    public void Fields_QuotesAndBracketsAndRunsOfSpaces_OneFieldEachWithoutThem()
    {
        Assert.Equal(["127.0.0.1", "-", "x[", "10/Oct/2000:13:25:15 -0700", "GET / HTTP/1.0", "200", "unclosed rest"], SpaceDelimitedPattern.Fields("127.0.0.1  -\tx[ [10/Oct/2000:13:25:15 -0700] \"GET / HTTP/1.0\" 200 \"unclosed rest"));
    }

    [Theory]
    [InlineData("[ip, user")]
    [InlineData("[]")]
    [InlineData("[...]")]
    [InlineData("[ip, ip]")]
    [InlineData("[ip, user = ]")]
    [InlineData("[ip, user = 1 && other = 2]")]
    [InlineData("[ip, user] extra")]
    [InlineData("[ip user]")]
    [InlineData("[ip, status = %[%]")]
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
        var seeds = new[] { "{ ($.a = 1 || $.b >= 2) && $.c[0] = \"x*\" }", "?ERROR ?\"disk full\" -debug %a+b%", "[a, ..., b = 4* || b > 10, ..., c != \"x y\"]" };
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
            pattern?.Matches("""{"a":1,"b":2,"c":["x"]} ERROR disk full [a b] "c d" 40 e f g h i j k l""");
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
