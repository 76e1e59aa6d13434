namespace Cloister.Templates.Tests.Evaluation;

public class ParameterTests
{
    private static TemplateLoadResult With(string declaration, string? value = null)
    {
        var text = $$"""
            Parameters:
              P: {{declaration}}
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Out: { Value: !Ref P }
            """;
        return TestTemplates.Load(text, value is null ? null : new Dictionary<string, string> { ["P"] = value });
    }

    private static void Accepted(string declaration, string? value = null)
    {
        var result = With(declaration, value);
        Assert.True(result.IsValid, result.Validation.ToString());
    }

    private static string Rejected(string declaration, string? value, string property)
    {
        var result = With(declaration, value);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal("P", problem.Resource);
        Assert.Equal(property, problem.Property);
        Assert.NotNull(problem.Location);
        return problem.Message;
    }

    [Theory]
    [InlineData("{ Type: \"AWS::EC2::AvailabilityZone::Name\" }", "eu-central-1b")]
    [InlineData("{ Type: \"List<AWS::EC2::AvailabilityZone::Name>\" }", "eu-central-1a,eu-central-1c")]
    public void AvailabilityZoneName_ZoneOfTheRegion_Accepted(string declaration, string value) => Accepted(declaration, value);

    [Theory]
    [InlineData("{ Type: \"AWS::EC2::AvailabilityZone::Name\" }", "us-east-1a")]
    [InlineData("{ Type: \"List<AWS::EC2::AvailabilityZone::Name>\" }", "eu-central-1a,us-east-1a")]
    public void AvailabilityZoneName_ZoneOfAnotherRegion_RejectedListingTheRegionsZones(string declaration, string value)
    {
        var message = Rejected(declaration, value, "Type");

        Assert.StartsWith("Parameter validation failed: parameter value us-east-1a for parameter name P does not exist (the Availability Zones of eu-central-1 are eu-central-1a, ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_NoValueGiven_IsUsed()
    {
        var result = With("{ Type: String, Default: fallback }");
        Assert.Equal("fallback", result.Stacks.Single().Outputs.Single().OutputValue);
    }

    [Fact]
    public void Given_Value_OverridesDefault()
    {
        var result = With("{ Type: String, Default: fallback }", "given");
        Assert.Equal("given", result.Stacks.Single().Outputs.Single().OutputValue);
    }

    [Fact]
    public void Missing_NoDefaultNoValue_IsProblemNamingParameter()
    {
        var message = Rejected("{ Type: String }", null, string.Empty);
        Assert.Contains("--param P=VALUE", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undeclared_GivenValueToATemplateWithoutParameters_IsCloudFormationsRefusal()
    {
        var result = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            """, new Dictionary<string, string> { ["Nope"] = "x" });
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Nope", "Parameter values specified for a template which does not require them."), (problem.Resource, problem.Message));
        Assert.True(TemplateLoader.IsUndeclaredParameter(problem));
    }

    [Fact]
    public void Undeclared_GivenValueBesideDeclaredOnes_NamedInCloudFormationsWords()
    {
        var result = TestTemplates.Load("""
            Parameters:
              Stage: { Type: String, Default: prod }
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            """, new Dictionary<string, string> { ["Stage"] = "dev", ["Nope"] = "x" });
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Nope", "Parameters: [Nope] do not exist in the template"), (problem.Resource, problem.Message));
        Assert.True(TemplateLoader.IsUndeclaredParameter(problem));
        Assert.False(TemplateLoader.IsUndeclaredParameter(problem with { Resource = "Stage" }));
    }

    [Fact]
    public void AllowedValues_OtherValue_IsProblem()
    {
        Accepted("{ Type: String, AllowedValues: [dev, prod] }", "dev");
        Assert.Contains("dev, prod", Rejected("{ Type: String, AllowedValues: [dev, prod] }", "test", "AllowedValues"), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedPattern_IsAnchored()
    {
        Accepted("{ Type: String, AllowedPattern: \"[a-z]+\" }", "abc");
        Rejected("{ Type: String, AllowedPattern: \"[a-z]+\" }", "abc1", "AllowedPattern");
    }

    [Fact]
    public void AllowedPattern_ConstraintDescription_IsInMessage() =>
        Assert.Contains("lower-case only", Rejected("{ Type: String, AllowedPattern: \"[a-z]+\", ConstraintDescription: lower-case only }", "ABC", "AllowedPattern"), StringComparison.Ordinal);

    [Fact]
    public void Length_Bounds_AreChecked()
    {
        Accepted("{ Type: String, MinLength: 2, MaxLength: 4 }", "abc");
        Rejected("{ Type: String, MinLength: 2, MaxLength: 4 }", "a", "MinLength");
        Rejected("{ Type: String, MinLength: 2, MaxLength: 4 }", "abcde", "MaxLength");
    }

    [Fact]
    public void Number_ValueAndBounds_AreChecked()
    {
        Accepted("{ Type: Number, MinValue: 1, MaxValue: 10 }", "5");
        Rejected("{ Type: Number }", "five", "Type");
        Rejected("{ Type: Number, MinValue: 1, MaxValue: 10 }", "0", "MinValue");
        Rejected("{ Type: Number, MinValue: 1, MaxValue: 10 }", "11", "MaxValue");
    }

    [Fact]
    public void ListOfNumber_EachElementChecked()
    {
        var result = With("{ Type: \"List<Number>\", Default: \"1,2,3\" }");
        Assert.True(result.IsValid, result.Validation.ToString());
        Rejected("{ Type: \"List<Number>\" }", "1,x", "Type");
    }

    [Fact]
    public void CommaDelimitedList_AllowedValuesPerElement()
    {
        Accepted("{ Type: CommaDelimitedList, AllowedValues: [a, b] }", "a,b");
        Rejected("{ Type: CommaDelimitedList, AllowedValues: [a, b] }", "a,c", "AllowedValues");
    }

    [Fact]
    public void CommaDelimitedList_SeveralValuesOutsideAllowedValues_IsOneProblem()
    {
        // The message names the parameter, not the value, so a second failing element would only repeat it.
        Assert.Equal("Parameter 'P' must be one of AllowedValues: a, b", Rejected("{ Type: CommaDelimitedList, AllowedValues: [a, b] }", "a,c,d", "AllowedValues"));
    }

    [Fact]
    public void Ec2IdTypes_CheckIdShape()
    {
        Accepted("{ Type: \"AWS::EC2::VPC::Id\" }", "vpc-0123456789abcdef0");
        Rejected("{ Type: \"AWS::EC2::VPC::Id\" }", "subnet-0123", "Type");
        Accepted("{ Type: \"List<AWS::EC2::Subnet::Id>\" }", "subnet-1,subnet-2");
        Rejected("{ Type: \"List<AWS::EC2::Subnet::Id>\" }", "subnet-1,sg-2", "Type");
    }

    [Fact]
    public void UnknownType_IsProblem() => Assert.Equal("Template format error: Unrecognized parameter type: Strang", Rejected("{ Type: Strang }", "x", "Type"));

    [Theory]
    [InlineData("{ Type: String, AllowedPattern: \"[a-z]+\" }", "AllowedPattern", "Parameter 'P' must match pattern [a-z]+")]
    [InlineData("{ Type: String, AllowedValues: [dev, prod] }", "AllowedValues", "Parameter 'P' must be one of AllowedValues: dev, prod")]
    [InlineData("{ Type: String, MinLength: 12 }", "MinLength", "Parameter 'P' must contain at least 12 characters")]
    [InlineData("{ Type: String, MaxLength: 4 }", "MaxLength", "Parameter 'P' must contain at most 4 characters")]
    [InlineData("{ Type: String, MinLength: 12, ConstraintDescription: twelve or more }", "MinLength", "Parameter P failed to satisfy constraint: twelve or more")]
    [InlineData("{ Type: Number }", "Type", "Parameter 'P' must be a number.")]
    [InlineData("{ Type: \"List<Number>\" }", "Type", "Parameter 'P' must be a number.")]
    public void Constraint_NoEchoValueBreaksIt_CloudFormationsWordsWithoutTheValue(string declaration, string property, string message)
    {
        // CloudFormation names the parameter and the constraint, never the value: a NoEcho value is a secret.
        var secret = Rejected(declaration.Replace("}", ", NoEcho: true }", StringComparison.Ordinal), "Hunter2!", property);

        Assert.Equal(message, secret);
        Assert.DoesNotContain("Hunter2", secret, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ Type: Number, MinValue: 1 }", "0", "MinValue", "Parameter 'P' must be a number not less than 1")]
    [InlineData("{ Type: Number, MaxValue: 43200 }", "50000", "MaxValue", "Parameter 'P' must be a number not greater than 43200")]
    [InlineData("{ Type: Number, MinValue: 0.5 }", "0.25", "MinValue", "Parameter 'P' must be a number not less than 0.5")]
    [InlineData("{ Type: \"List<Number>\", MaxValue: 10 }", "1,20", "MaxValue", "Parameter 'P' must be a number not greater than 10")]
    public void Number_OutsideItsBounds_IsCloudFormationsWords(string declaration, string value, string property, string message) =>
        Assert.Equal(message, Rejected(declaration, value, property));

    [Fact]
    public void NoEcho_ParameterStillResolves()
    {
        var result = With("{ Type: String, NoEcho: true }", "secret");
        Assert.True(result.IsValid);
        Assert.Equal("secret", result.Stacks.Single().Outputs.Single().OutputValue);
    }

    [Fact]
    public void SsmImageParameter_PublicAwsServicePath_ResolvesToStableAmiId()
    {
        const string declaration = "{ Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 }";
        var first = With(declaration).Stacks.Single().Outputs.Single().OutputValue;
        var second = With(declaration).Stacks.Single().Outputs.Single().OutputValue;
        Assert.Matches("^ami-[0-9a-f]{17}$", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void SsmImageParameter_ValueGivenWithoutPath_IsTheValue()
    {
        var result = With("{ Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/x }", "ami-0123456789abcdef0");
        Assert.Equal("ami-0123456789abcdef0", result.Stacks.Single().Outputs.Single().OutputValue);
    }

    [Fact]
    public void SsmParameter_OwnPath_IsProblemSayingHowToPassIt()
    {
        var message = Rejected("{ Type: 'AWS::SSM::Parameter::Value<String>', Default: /my-team/db-endpoint }", null, "Type");
        Assert.Contains("Parameter Store", message, StringComparison.Ordinal);
        Assert.Contains("--param P=VALUE", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SsmParameterName_Type_IsAString()
    {
        var result = With("{ Type: 'AWS::SSM::Parameter::Name', Default: /my-team/db-endpoint }");
        Assert.Equal("/my-team/db-endpoint", result.Stacks.Single().Outputs.Single().OutputValue);
    }
}
