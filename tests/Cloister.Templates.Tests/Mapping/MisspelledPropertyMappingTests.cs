namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A property written with a typo: CloudFormation refuses the property its type does not have ("Encountered unsupported
/// property"), and so does Cloister, at the key written, naming the property meant when one is close.
/// </summary>
public class MisspelledPropertyMappingTests
{
    [Theory]
    [InlineData("CidBlock")]
    [InlineData("cidrBlock")]
    [InlineData("CidrBlocks")]
    public void Vpc_RequiredPropertyMisspelled_UnsupportedPropertyNamesTheOneMeant(string written)
    {
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  {{written}}: 10.1.0.0/16
            """);

        Assert.Equal(
            ("Vpc", $"Properties.{written}", $"Encountered unsupported property {written}. Did you mean 'CidrBlock'?"),
            (problem.Resource, problem.Property, problem.Message));
        Assert.Equal((5, 7), (problem.Location!.Line, problem.Location.Column));
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
