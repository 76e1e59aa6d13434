namespace Cloister.Policy.Tests.Conditions;

/// <summary>
/// A key whose value "resolves to a null dataset, such as an empty string" (IAM condition operators page): ForAllValues
/// returns true for it, and Null false is the documented guard against it.
/// </summary>
public sealed class NullDatasetTests
{
    private static Decision Decide(string condition, params string[] tagKeys)
    {
        var parsed = Policy.Parse(
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:TagUser","Resource":"*","Condition":{{condition}}}]}""",
            PolicyParseOptions.ForAuthorizer);
        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        var context = new RequestContext { Action = "iam:TagUser", Resource = "arn:aws:iam::111122223333:user/alice" };
        foreach (var key in tagKeys)
        {
            context.Add("aws:TagKeys", key);
        }

        return parsed.Policy.Evaluate(context).Decision;
    }

    [Fact]
    public void Evaluate_ForAllValuesOnEmptyStringValue_IsTrue()
    {
        Assert.Equal(Decision.Allow, Decide("""{"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}""", ""));
    }

    [Fact]
    public void Evaluate_NullFalseGuardOnEmptyStringValue_DoesNotHold()
    {
        Assert.Equal(Decision.ImplicitDeny, Decide("""{"ForAllValues:StringEquals":{"aws:TagKeys":"team"},"Null":{"aws:TagKeys":"false"}}""", ""));
    }

    [Fact]
    public void Evaluate_ForAllValuesWithOneRealValueBesideAnEmptyOne_ChecksEveryValue()
    {
        Assert.Equal(Decision.ImplicitDeny, Decide("""{"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}""", "", "cost"));
        Assert.Equal(Decision.Allow, Decide("""{"ForAllValues:StringEquals":{"aws:TagKeys":["team", ""]}}""", "", "team"));
    }
}
