namespace Cloister.Templates.Tests.Mapping;

/// <summary>A log group's RetentionInDays is one of the day counts CloudWatch Logs offers.</summary>
public class LogGroupMappingTests
{
    private static TemplateLoadResult Load(string retention) => TestTemplates.Load($$"""
        Resources:
          Logs: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: /x, {{retention}} } }
        """);

    [Theory]
    [InlineData("RetentionInDays: 7")]
    [InlineData("RetentionInDays: \"3653\"")]
    [InlineData("Tags: []")]
    public void LogGroup_RetentionOfferedOrNone_IsValid(string retention) =>
        Assert.True(Load(retention).IsValid);

    [Theory]
    [InlineData(8)]
    [InlineData(0)]
    [InlineData(3650)]
    public void LogGroup_RetentionNotOffered_ProblemListsTheOffered(int days)
    {
        var problem = Assert.Single(Load($"RetentionInDays: {days}").Validation.Problems);

        Assert.Equal(("Logs", "Properties.RetentionInDays"), (problem.Resource, problem.Property));
        Assert.Equal($"{days} is not a retention CloudWatch Logs offers; it is one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days (or leave it out to keep logs forever).", problem.Message);
    }
}
