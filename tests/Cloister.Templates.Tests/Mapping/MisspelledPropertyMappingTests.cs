namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A required property written with a typo: CloudFormation refuses the unknown property, Cloister reports the required
/// one missing and names what was written instead, at the misspelled key's value.
/// </summary>
public class MisspelledPropertyMappingTests
{
    [Theory]
    [InlineData("CidBlock")]
    [InlineData("cidrBlock")]
    [InlineData("CidrBlocks")]
    public void Vpc_RequiredPropertyMisspelled_RequiredProblemNamesTheMisspelling(string written)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  {{written}}: 10.1.0.0/16
            """);

        Assert.Equal(
            ("Vpc", "Properties.CidrBlock", $"is required; the template has '{written}' (misspelled?), which CloudFormation refuses as an unsupported property."),
            (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((5, 9 + written.Length), (problem.Location!.Line, problem.Location.Column));
    }

    [Fact]
    public void Vpc_RequiredPropertyMissingWithUnrelatedOther_PlainRequired()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { EnableDnsSupport: true } }
            """);

        Assert.Equal(("Properties.CidrBlock", "is required."), (problem.Property, problem.Message));
    }
}
