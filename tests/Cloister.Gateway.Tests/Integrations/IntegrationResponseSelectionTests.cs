using Cloister.Gateway.Integrations;
using Cloister.Gateway.Tests.Infrastructure;

namespace Cloister.Gateway.Tests.Integrations;

/// <summary>
/// Which integration response a selector (a Lambda error's <c>errorMessage</c>, a backend status) picks: the
/// <c>selectionPattern</c> matched against the whole selector as Java's <c>Pattern.matches</c> does.
/// </summary>
public sealed class IntegrationResponseSelectionTests
{
    private static string? Selected(string pattern, string selector) =>
        IntegrationResponses.Select([Apis.Response("200", null), Apis.Response("400", pattern)], selector)?.StatusCode;

    /// <summary>
    /// API Gateway's reference for <c>selectionPattern</c>: "you could use the .+ regex to match error response. However,
    /// make sure that the error response does not contain any newline (\n) character". A multi-line <c>errorMessage</c>
    /// (a Java exception's, a Python traceback) falls through to the default response unless the pattern says
    /// <c>(\n|.)</c>.
    /// </summary>
    [Theory]
    [InlineData(".+", "Bad request:\namount missing")]
    [InlineData("Bad request:.*", "Bad request: amount missing\n")]
    [InlineData("Bad request:.*", "Bad request:\r\namount missing")]
    public void Select_DotPatternAcrossNewline_TakesDefaultResponse(string pattern, string selector) =>
        Assert.Equal("200", Selected(pattern, selector));

    [Theory]
    [InlineData("(\\n|.)+", "Bad request:\namount missing")]
    [InlineData("Bad request:[\\s\\S]*", "Bad request:\namount missing")]
    [InlineData("Bad request:.*", "Bad request: amount missing")]
    [InlineData("4\\d{2}", "404")]
    public void Select_PatternMatchingWholeSelector_TakesItsResponse(string pattern, string selector) =>
        Assert.Equal("400", Selected(pattern, selector));
}
