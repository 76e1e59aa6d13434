namespace Cloister.Templates.Tests.Evaluation;

public class ConditionTests
{
    private static TemplateLoadResult WithCondition(string condition, string env = "prod") => TestTemplates.LoadValid(
        $$"""
        Parameters:
          Env: { Type: String, Default: {{env}} }
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsTest: !Equals [!Ref Env, test]
          Chosen: {{condition}}
        Resources:
          Always: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          Maybe:
            Type: AWS::EC2::VPC
            Condition: Chosen
            Properties: { CidrBlock: 10.2.0.0/16 }
        """);

    [Theory]
    [InlineData("!Equals [a, a]", true)]
    [InlineData("!Equals [a, b]", false)]
    [InlineData("!Not [!Condition IsProd]", false)]
    [InlineData("!And [!Condition IsProd, !Not [!Condition IsTest]]", true)]
    [InlineData("!And [!Condition IsProd, !Condition IsTest]", false)]
    [InlineData("!Or [!Condition IsTest, !Condition IsProd]", true)]
    [InlineData("!Or [!Condition IsTest, !Equals [x, y]]", false)]
    public void Condition_Functions_DecideWhetherResourceExists(string condition, bool exists)
    {
        var result = WithCondition(condition);
        Assert.Equal(exists ? 2 : 1, result.Model.Vpcs.Length);
        Assert.Equal(exists, result.Stacks.Single().Resources.Any(r => r.LogicalResourceId == "Maybe"));
    }

    [Fact]
    public void Condition_ParameterValue_ChangesOutcome()
    {
        Assert.Single(WithCondition("!Condition IsTest", env: "prod").Model.Vpcs);
        Assert.Equal(2, WithCondition("!Condition IsTest", env: "test").Model.Vpcs.Length);
    }

    [Fact]
    public void Condition_RefToResourceWithFalseCondition_IsProblem()
    {
        var result = TestTemplates.Load("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Condition: Never, Properties: { CidrBlock: 10.1.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Subnet", "Properties.VpcId"), (problem.Resource, problem.Property));
        Assert.Contains("condition 'Never' is false", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DependsOn: Vpc")]
    [InlineData("DependsOn: [Other, Vpc]")]
    public void DependsOn_ResourceWithFalseCondition_IsCloudFormationsUnresolvedDependency(string dependsOn)
    {
        // CloudFormation refuses the template ("Template format error: Unresolved resource dependencies [Vpc] in the
        // Resources block of the template") rather than creating the resource without what it waits for.
        var result = TestTemplates.Load($$"""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Condition: Never, Properties: { CidrBlock: 10.1.0.0/16 } }
              Other: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.2.0.0/16 } }
              Group: { Type: AWS::Logs::LogGroup, {{dependsOn}} }
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Group", "DependsOn", 6), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("Template format error: Unresolved resource dependencies [Vpc] in the Resources block of the template ('Vpc' is not created: its condition 'Never' is false).", problem.Message);
    }

    [Fact]
    public void Condition_RefOrGetAttToResource_IsProblemSayingConditionsCannot()
    {
        var result = TestTemplates.Load("""
            Conditions:
              ByRef: !Equals [!Ref Vpc, x]
              ByGetAtt: !Equals [!GetAtt Vpc.CidrBlock, x]
              BySub: !Equals [!Sub "${Vpc}", x]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Equal(["ByRef", "ByGetAtt", "BySub"], result.Validation.Problems.Select(p => p.Resource));
        Assert.All(result.Validation.Problems, p =>
        {
            Assert.StartsWith("Conditions.", p.Property, StringComparison.Ordinal);
            Assert.Equal("Template format error: Unresolved dependencies [Vpc]. Cannot reference resources in the Conditions block of the template", p.Message);
        });
    }

    [Fact]
    public void Condition_RefToUnknownName_IsCloudFormationsUnresolvedDependency()
    {
        var problem = TestTemplates.SingleProblem("""
            Conditions:
              C: !Equals [!Ref Missing, x]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Equal(("C", "Conditions.C"), (problem.Resource, problem.Property));
        Assert.Equal("Template format error: Unresolved dependencies [Missing]. Cannot reference resources in the Conditions block of the template", problem.Message);
    }

    [Theory]
    [InlineData("!Equals [a, b]")]
    [InlineData("[IsProd]")]
    [InlineData("{ Ref: Env }")]
    [InlineData("1")]
    public void ResourceCondition_NotAString_IsProblemAtCondition(string condition)
    {
        var result = TestTemplates.Load($$"""
            Conditions:
              IsProd: !Equals [a, a]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Condition: {{condition}}
                Properties: { CidrBlock: 10.1.0.0/16 }
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Vpc", "Condition", 6), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("Every Condition member must be a string.", problem.Message);
    }

    [Fact]
    public void OutputCondition_NotAString_IsProblemAtCondition()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              O:
                Condition: [x]
                Value: !Ref Vpc
            """);
        Assert.Equal(("O", "Condition", 5), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("Every Condition member must be a string.", problem.Message);
    }

    [Fact]
    public void ServerlessFunctionCondition_NotAString_IsOneProblemOnTheFunction()
    {
        var result = TestTemplates.Load($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              {{TestTemplates.SamFunction("Fn", condition: "!Equals [a, b]")}}
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Fn", "Condition", 3), (problem.Resource, problem.Property, problem.Location!.Line));
    }

    [Fact]
    public void Condition_SelfReference_IsCycleProblem()
    {
        var result = TestTemplates.Load("""
            Conditions:
              A: !Not [!Condition B]
              B: !Not [!Condition A]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Condition: A, Properties: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Contains(result.Validation.Problems, p => p.Message.StartsWith("Template format error: Circular dependency between conditions: [", StringComparison.Ordinal));
    }

    [Fact]
    public void Condition_Unknown_IsProblemAtItsUse()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Condition: Missing, Properties: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Equal(("Vpc", "Condition"), (problem.Resource, problem.Property));
        Assert.Equal("Template format error: Unresolved condition dependency Missing in the Resources block of the template", problem.Message);
    }

    [Fact]
    public void Output_FalseCondition_IsLeftOut()
    {
        var result = TestTemplates.LoadValid("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Hidden: { Condition: Never, Value: x }
              Shown: { Value: y }
            """);
        Assert.Equal(["Shown"], result.Stacks.Single().Outputs.Select(o => o.OutputKey));
    }
}
