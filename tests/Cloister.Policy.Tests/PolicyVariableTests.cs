namespace Cloister.Policy.Tests;

/// <summary>
/// Policy variables with no value, as the IAM user guide's "Variables and tags" page documents them: positive operators do
/// not match, inverted ones (StringNotEquals, StringNotLike...) do, and a Resource or NotResource entry holding one
/// matches no resource.
/// </summary>
public sealed class PolicyVariableTests
{
    private const string Object = "arn:aws:s3:::example-bucket/report.csv";

    private static readonly RequestPrincipal Untagged = RequestPrincipal.RoleSession(
        "arn:aws:sts::111122223333:assumed-role/Reader/fn", "arn:aws:iam::111122223333:role/Reader", DateTimeOffset.UnixEpoch,
        new Dictionary<string, string>());

    private static RequestPrincipal Team(string team) => RequestPrincipal.RoleSession(
        "arn:aws:sts::111122223333:assumed-role/Reader/fn", "arn:aws:iam::111122223333:role/Reader", DateTimeOffset.UnixEpoch,
        new Dictionary<string, string> { ["Team"] = team });

    private static Decision Decide(string statements, RequestPrincipal caller, string resource = Object)
    {
        var parsed = Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", PolicyParseOptions.ForAuthorizer);
        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        var context = new RequestContext { Action = "s3:GetObject", Resource = resource, Principal = caller };
        context.Set("s3:ExistingObjectTag/Team", "blue");
        return parsed.Policy.Evaluate(context).Decision;
    }

    private const string AllowAll = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}""";

    [Theory]
    [InlineData(null, Decision.ExplicitDeny)]
    [InlineData("red", Decision.ExplicitDeny)]
    [InlineData("blue", Decision.Allow)]
    public void Evaluate_InvertedOperatorWithVariableOfNoValue_MatchesSoTheDenyApplies(string? team, Decision expected)
    {
        // The user guide's own example: "Access is explicitly denied when aws:principaltag/Team is not set", since inverted
        // operators "do match against a null value".
        const string Deny = """{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}}""";

        Assert.Equal(expected, Decide(AllowAll + "," + Deny, team is null ? Untagged : Team(team)));
    }

    [Theory]
    [InlineData("StringNotLike", "${aws:PrincipalTag/Team}*")]
    [InlineData("StringNotEqualsIgnoreCase", "${aws:PrincipalTag/Team}")]
    [InlineData("StringNotEqualsIfExists", "${aws:PrincipalTag/Team}")]
    [InlineData("ForAllValues:StringNotEquals", "${aws:PrincipalTag/Team}")]
    public void Evaluate_OtherInvertedOperatorsWithVariableOfNoValue_MatchSoTheDenyApplies(string op, string value)
    {
        var deny = """{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"OP":{"s3:ExistingObjectTag/Team":"VALUE"}}}"""
            .Replace("OP", op, StringComparison.Ordinal).Replace("VALUE", value, StringComparison.Ordinal);

        Assert.Equal(Decision.ExplicitDeny, Decide(AllowAll + "," + deny, Untagged));
    }

    [Theory]
    [InlineData("StringEquals")]
    [InlineData("StringLike")]
    [InlineData("StringEqualsIfExists")]
    [InlineData("ForAnyValue:StringEquals")]
    public void Evaluate_PositiveOperatorWithVariableOfNoValue_DoesNotMatch(string op)
    {
        var allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"OP":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}}"""
            .Replace("OP", op, StringComparison.Ordinal);

        Assert.Equal(Decision.ImplicitDeny, Decide(allow, Untagged));
        Assert.Equal(Decision.Allow, Decide(allow, Team("blue")));
    }

    [Fact]
    public void Evaluate_ResourceWithVariableOfNoValue_MatchesNoResource()
    {
        const string Allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Team}/*"}""";

        Assert.Equal(Decision.ImplicitDeny, Decide(Allow, Untagged, "arn:aws:s3:::example-bucket/blue/report.csv"));
        Assert.Equal(Decision.Allow, Decide(Allow, Team("blue"), "arn:aws:s3:::example-bucket/blue/report.csv"));
    }

    [Fact]
    public void Evaluate_NotResourceWithVariableOfNoValue_ExcludesNothing()
    {
        // The entry matches no resource, so NotResource leaves every resource to the statement: the Deny applies even to the
        // team's own prefix, which it would exclude for a caller with the tag.
        const string Deny = """{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Team}/*"}""";

        Assert.Equal(Decision.ExplicitDeny, Decide(AllowAll + "," + Deny, Untagged, "arn:aws:s3:::example-bucket/blue/report.csv"));
        Assert.Equal(Decision.Allow, Decide(AllowAll + "," + Deny, Team("blue"), "arn:aws:s3:::example-bucket/blue/report.csv"));
    }

    [Fact]
    public void Evaluate_VariableWithDefault_UsesTheDefaultWhenTheKeyHasNoValue()
    {
        const string Allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Team, 'company-wide'}/*"}""";

        Assert.Equal(Decision.Allow, Decide(Allow, Untagged, "arn:aws:s3:::example-bucket/company-wide/report.csv"));
        Assert.Equal(Decision.ImplicitDeny, Decide(Allow, Team("blue"), "arn:aws:s3:::example-bucket/company-wide/report.csv"));
    }

    [Fact]
    public void Evaluate_VariableOfMultiValuedKeyWithOneValue_HasNoValue()
    {
        // IAM: a multivalued key cannot be a policy variable. A key given as a list (Add) stays multivalued with one value in it.
        var parsed = Policy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:TagKeys}/*"}]}""",
            PolicyParseOptions.ForAuthorizer);
        var listed = new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::example-bucket/blue/report.csv", Principal = Team("blue") };
        listed.Add("aws:TagKeys", "blue");
        var single = new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::example-bucket/blue/report.csv", Principal = Team("blue") };
        single.Set("aws:TagKeys", "blue");

        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        Assert.Equal(Decision.ImplicitDeny, parsed.Policy.Evaluate(listed).Decision);
        Assert.Equal(Decision.Allow, parsed.Policy.Evaluate(single).Decision);
    }

    [Fact]
    public void Evaluate_VariableOfMultiValuedKeyInInvertedOperator_MatchesAsAVariableOfNoValue()
    {
        var parsed = Policy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${custom:Teams}"}}}]}""",
            PolicyParseOptions.ForAuthorizer);
        var context = new RequestContext { Action = "s3:GetObject", Resource = Object, Principal = Team("blue") };
        context.Set("s3:ExistingObjectTag/Team", "blue");
        context.Add("custom:Teams", "blue");

        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        Assert.Equal(Decision.ExplicitDeny, parsed.Policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("A-123", Decision.Allow)]
    [InlineData("B-456", Decision.ImplicitDeny)]
    public void Evaluate_VariableOfTagKeyWithSpace_ResolvesToTheCallersTag(string costCenter, Decision expected)
    {
        // Tag keys may hold spaces (IAM's Tag reference names "Cost Center"), and aws:PrincipalTag/tag-key is a policy
        // variable, so ${aws:PrincipalTag/Cost Center} reads the tag as the condition key aws:PrincipalTag/Cost Center does.
        const string Allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Cost Center}/*"}""";
        var caller = RequestPrincipal.RoleSession(
            "arn:aws:sts::111122223333:assumed-role/Reader/fn", "arn:aws:iam::111122223333:role/Reader", DateTimeOffset.UnixEpoch,
            new Dictionary<string, string> { ["Cost Center"] = costCenter });

        Assert.Equal(expected, Decide(Allow, caller, "arn:aws:s3:::example-bucket/A-123/report.csv"));
    }

    [Fact]
    public void Evaluate_VariableWithSpaceBeforeTheSlash_IsPlainText()
    {
        const string Allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:Principal Tag/x}"}""";

        Assert.Equal(Decision.Allow, Decide(Allow, Untagged, "arn:aws:s3:::example-bucket/${aws:Principal Tag/x}"));
    }

    [Fact]
    public void Evaluate_VariableOfTagWithEmptyValue_HasNoValue()
    {
        // IAM: a variable whose key "has no value or is not present" is effectively null. An empty tag value is no value:
        // the Resource entry matches nothing (not example-bucket//...), the inverted operator's Deny applies, a default stands in.
        var emptyTeam = Team(string.Empty);
        const string Allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Team}/*"}""";
        const string Deny = """{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}}""";
        const string WithDefault = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Team, 'shared'}/*"}""";

        Assert.Equal(Decision.ImplicitDeny, Decide(Allow, emptyTeam, "arn:aws:s3:::example-bucket//report.csv"));
        Assert.Equal(Decision.ExplicitDeny, Decide(AllowAll + "," + Deny, emptyTeam));
        Assert.Equal(Decision.Allow, Decide(WithDefault, emptyTeam, "arn:aws:s3:::example-bucket/shared/report.csv"));
    }
}
