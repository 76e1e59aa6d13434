using Cloister.Policy.Conditions;

namespace Cloister.Policy.Tests.Conditions;

/// <summary>
/// Every operator on a key the request does not have, as IAM's condition operators page states it: a positive operator is
/// false, a negated one ("such as StringNotLike or ArnNotLike") true, and with IfExists ("any condition operator name
/// except the Null condition") every one is true; ForAnyValue is false and ForAllValues true.
/// </summary>
public sealed class MissingKeyTests
{
    public static TheoryData<string> BaseNames => [.. ConditionOperator.BaseNames.Where(name => name != "Null")];

    private static string SampleValue(string op) => op switch
    {
        _ when op.StartsWith("Numeric", StringComparison.Ordinal) => "10",
        _ when op.StartsWith("Date", StringComparison.Ordinal) => "2030-01-01T00:00:00Z",
        "Bool" => "true",
        "BinaryEquals" => "YQ==",
        _ when op.Contains("IpAddress", StringComparison.Ordinal) => "10.0.0.0/8",
        _ when op.StartsWith("Arn", StringComparison.Ordinal) => "arn:aws:s3:::bucket",
        _ => "x",
    };

    private static Decision Decide(string op, string baseName)
    {
        var json = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"OP":{"app:absent":"VALUE"}}}]}"""
            .Replace("OP", op, StringComparison.Ordinal).Replace("VALUE", SampleValue(baseName), StringComparison.Ordinal);
        var parsed = Policy.Parse(json, PolicyParseOptions.ForAuthorizer);
        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        return parsed.Policy.Evaluate(new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket/key" }).Decision;
    }

    [Theory]
    [MemberData(nameof(BaseNames))]
    public void Evaluate_OperatorOnMissingKey_IsFalseUnlessNegated(string name)
    {
        var negated = name.Contains("Not", StringComparison.Ordinal);

        Assert.Equal(negated ? Decision.Allow : Decision.ImplicitDeny, Decide(name, name));
    }

    [Theory]
    [MemberData(nameof(BaseNames))]
    public void Evaluate_IfExistsOnMissingKey_IsTrue(string name)
    {
        Assert.Equal(Decision.Allow, Decide(name + "IfExists", name));
        Assert.Equal(Decision.Allow, Decide("ForAnyValue:" + name + "IfExists", name));
        Assert.Equal(Decision.Allow, Decide("ForAllValues:" + name + "IfExists", name));
    }

    [Theory]
    [MemberData(nameof(BaseNames))]
    public void Evaluate_SetQualifierOnMissingKey_ForAnyValueFalseForAllValuesTrue(string name)
    {
        Assert.Equal(Decision.ImplicitDeny, Decide("ForAnyValue:" + name, name));
        Assert.Equal(Decision.Allow, Decide("ForAllValues:" + name, name));
    }
}
