using Cloister.Policy.Matching;

namespace Cloister.Policy.Tests.Matching;

public sealed class GlobTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything/at:all", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("**", "x", true)]
    [InlineData("x*", "x", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    public void IsMatch_Patterns_MatchAsIamDoes(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, Glob.IsMatch(pattern, text, ignoreCase: false));
    }

    [Fact]
    public void IsMatch_IgnoreCase_FoldsCase()
    {
        Assert.True(Glob.IsMatch("EXECUTE-API:inv*", "execute-api:Invoke", ignoreCase: true));
        Assert.False(Glob.IsMatch("EXECUTE-API:inv*", "execute-api:Invoke", ignoreCase: false));
    }

    [Fact]
    public void IsMatch_LiteralFlags_TurnWildcardsIntoCharacters()
    {
        byte[] literal = [0, 1, 0];

        Assert.True(Glob.IsMatch("a*c", literal, "a*c", ignoreCase: false));
        Assert.False(Glob.IsMatch("a*c", literal, "abc", ignoreCase: false));
    }

    /// <summary>
    /// A matcher that backtracks into every star would try about C(4000, 2000) ways of splitting the text before giving
    /// up, and never answer: a regression shows as a hung test. The single backtrack point answers in at most pattern
    /// times text steps. How fast it answers is for benchmarks, not for a clock here (one failed under load).
    /// </summary>
    [Fact]
    public void IsMatch_HostilePatternABacktrackerCouldNotFinish_IsFalse()
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", 2000)) + "b";
        var text = new string('a', 4000);

        Assert.False(Glob.IsMatch(pattern, text, ignoreCase: false));
        Assert.True(Glob.IsMatch(pattern.AsSpan(0, pattern.Length - 1), text, ignoreCase: false));
    }
}
