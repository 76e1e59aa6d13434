using Cloister.Policy.Matching;

namespace Cloister.Policy.Tests.Matching;

public sealed class TemplateTextTests
{
    private static (bool Resolved, string Text, string Flags) Resolve(string raw, RequestContext context, bool variables = true)
    {
        var template = TemplateText.Parse(raw, variables);
        var chars = new char[TemplateText.MaxResolvedLength];
        var flags = new byte[TemplateText.MaxResolvedLength];
        var resolved = template.TryResolve(context, chars, flags, out var length);
        return (resolved, new string(chars, 0, length), string.Concat(flags.Take(length).Select(f => f.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void TryResolve_Variable_SubstitutesLiterally()
    {
        var context = new RequestContext { SourceVpce = "vpce-*" };

        var (resolved, text, flags) = Resolve("a/${aws:SourceVpce}/*", context);

        Assert.True(resolved);
        Assert.Equal("a/vpce-*/*", text);
        Assert.Equal("0011111100", flags);
    }

    [Theory]
    [InlineData("${*}", "*")]
    [InlineData("${?}", "?")]
    [InlineData("${$}", "$")]
    [InlineData("${", "${")]
    [InlineData("${}", "${}")]
    [InlineData("x${bad key}y", "x${bad key}y")]
    [InlineData("${aws:Missing, 'fallback'}", "fallback")]
    public void TryResolve_SpecialForms_ResolveAsAwsDocuments(string raw, string expected)
    {
        var (resolved, text, _) = Resolve(raw, new RequestContext());

        Assert.True(resolved);
        Assert.Equal(expected, text);
    }

    [Fact]
    public void TryResolve_MissingVariable_Fails()
    {
        Assert.False(Resolve("${aws:SourceVpce}", new RequestContext()).Resolved);
    }

    [Fact]
    public void Parse_Version2008_KeepsVariablesAsText()
    {
        var template = TemplateText.Parse("${aws:SourceVpce}", variables: false);

        Assert.False(template.HasVariables);
        Assert.Equal("${aws:SourceVpce}", Resolve("${aws:SourceVpce}", new RequestContext { SourceVpce = "v" }, variables: false).Text);
    }
}
