namespace Cloister.Templates.Tests.Evaluation;

/// <summary>
/// A function whose argument failed reports nothing more: Fn::Select over a failed Fn::Cidr or Fn::Split said
/// "needs a list of values, not a string" and "cannot select nonexistent value at index 0" after the real problem.
/// Independent mistakes in one value are still each reported.
/// </summary>
public class IntrinsicCascadeTests
{
    private static List<string> Problems(string value) =>
        [.. TestTemplates.Load($$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Out: { Value: {{value}} }
            """).Validation.Problems.Select(p => p.Message)];

    [Theory]
    [InlineData("!Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 300, 8]]", "Fn::Cidr: count '300' (1-256) or cidrBits '8' do not fit in 10.1.0.0/16.")]
    [InlineData("!Select [1, !Split [\":\", !GetAZs \"\"]]", "must be a string to split, not a list.")]
    [InlineData("!Join [\",\", !Select [0, !Ref Nope]]", "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template")]
    public void Function_ArgumentFailed_OnlyTheArgumentsProblem(string value, string message) =>
        Assert.Equal([message], Problems(value));

    [Fact]
    public void Join_TwoIndependentMistakes_BothReported()
    {
        var problems = Problems("!Join [\",\", [!Ref Nope1, !Select [0, !Ref Nope2]]]");

        Assert.Equal(2, problems.Count);
        Assert.Contains("[Nope1]", problems[0], StringComparison.Ordinal);
        Assert.Contains("[Nope2]", problems[1], StringComparison.Ordinal);
    }
}
