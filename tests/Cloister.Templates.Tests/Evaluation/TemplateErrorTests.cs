using Cloister.Model.Validation;

namespace Cloister.Templates.Tests.Evaluation;

/// <summary>Errors the user must see before anything is created: each with file:line:column, logical id and property.</summary>
public class TemplateErrorTests
{
    [Fact]
    public void UnknownType_IsProblemNamingTypeAtItsLine()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Queue:
                Type: AWS::SQS::Queue
            """);
        Assert.Equal(("Queue", "Type"), (problem.Resource, problem.Property));
        Assert.Contains("'AWS::SQS::Queue'", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("template.yaml", 3, 11), problem.Location);
        Assert.StartsWith("template.yaml:3:11: Queue.Type: ", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DeletionPolicy_NotOneOfCloudFormations_IsProblemNamingTheValues()
    {
        var problem = TestTemplates.SingleProblem($"Resources:\n  Items:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: retain\n    Properties: {TestTemplates.TableProperties}\n");

        Assert.Equal(("Items", "DeletionPolicy", 4), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("DeletionPolicy must be one of Delete, Retain, RetainExceptOnCreate, Snapshot, not 'retain'.", problem.Message);
    }

    [Fact]
    public void UpdateReplacePolicy_RetainExceptOnCreate_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("Resources:\n  Vpc: { Type: AWS::EC2::VPC, UpdateReplacePolicy: RetainExceptOnCreate, Properties: { CidrBlock: 10.1.0.0/16 } }\n");

        Assert.Equal(("Vpc", "UpdateReplacePolicy"), (problem.Resource, problem.Property));
        Assert.Contains("Delete, Retain, Snapshot", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownType_IgnoreUnsupported_IsWarningAndRefsStillResolve()
    {
        var result = TestTemplates.Load(
            """
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              Q: { Value: !Ref Queue }
            """,
            ignoreUnsupported: true);
        Assert.True(result.IsValid, result.Validation.ToString());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("Queue", warning.Resource);
        Assert.Single(result.Model.Vpcs);
    }

    [Fact]
    public void BadGetAtt_IsProblemNamingResourceAndAttribute()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Subnet:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: !GetAtt Vpc.CidrBlok
            """);
        Assert.Equal(("Subnet", "Properties.CidrBlock"), (problem.Resource, problem.Property));
        Assert.StartsWith("Template error: resource Vpc does not support attribute type CidrBlok in Fn::GetAtt (AWS::EC2::VPC has ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("CidrBlock", problem.Message, StringComparison.Ordinal);
        Assert.Equal(7, problem.Location!.Line);
        Assert.Equal(18, problem.Location.Column);
    }

    [Fact]
    public void GetAtt_UnknownResource_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !GetAtt Other.CidrBlock } }
            """);
        Assert.Equal("Template error: instance of Fn::GetAtt references undefined resource Other", problem.Message);
    }

    [Fact]
    public void Ref_Unresolved_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Nowhere, CidrBlock: 10.0.0.0/24 } }
            """);
        Assert.Equal(("Subnet", "Properties.VpcId"), (problem.Resource, problem.Property));
        Assert.Equal("Template format error: Unresolved resource dependencies [Nowhere] in the Resources block of the template", problem.Message);
    }

    [Fact]
    public void CyclicDependsOn_IsProblemNamingTheCycle()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              A: { Type: AWS::EC2::VPC, DependsOn: B, Properties: { CidrBlock: 10.1.0.0/16 } }
              B: { Type: AWS::EC2::VPC, DependsOn: C, Properties: { CidrBlock: 10.2.0.0/16 } }
              C: { Type: AWS::EC2::VPC, DependsOn: A, Properties: { CidrBlock: 10.3.0.0/16 } }
            """);
        Assert.Equal(("A", "DependsOn"), (problem.Resource, problem.Property));
        Assert.Contains("A -> B -> C -> A", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, problem.Location!.Line);
    }

    [Fact]
    public void CyclicReferences_ThroughRefAndSub_AreDetected()
    {
        var result = TestTemplates.Load("""
            Resources:
              Sg1: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: !Sub "${Sg2}", VpcId: vpc-1 } }
              Sg2: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: !Ref Sg1, VpcId: vpc-1 } }
            """);
        Assert.Contains(result.Validation.Problems, p => p.Message.Contains("Sg1 -> Sg2 -> Sg1", StringComparison.Ordinal));
    }

    [Fact]
    public void DependsOn_UnknownResource_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              A: { Type: AWS::EC2::VPC, DependsOn: [Ghost], Properties: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Equal(("A", "DependsOn"), (problem.Resource, problem.Property));
        Assert.Equal("Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template", problem.Message);
    }

    [Fact]
    public void SeveralErrors_AreAllReportedAtOnceWithLocations()
    {
        var result = TestTemplates.Load("""
            Parameters:
              Needed: { Type: String }
            Resources:
              Queue: { Type: AWS::SQS::Queue }
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !GetAtt Other.Nope } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: !GetAtt Vpc.Bad } }
              A: { Type: AWS::EC2::VPC, DependsOn: B, Properties: { CidrBlock: 10.1.0.0/16 } }
              B: { Type: AWS::EC2::VPC, DependsOn: A, Properties: { CidrBlock: 10.2.0.0/16 } }
            """);
        var problems = result.Validation.Problems;
        Assert.Equal(5, problems.Length);
        Assert.All(problems, p => Assert.Equal("template.yaml", p.Location!.File));
        Assert.Contains(problems, p => p.Resource == "Needed" && p.Location!.Line == 2);
        Assert.Contains(problems, p => p.Resource == "Queue" && p.Property == "Type" && p.Location!.Line == 4);
        Assert.Contains(problems, p => p.Resource == "Vpc" && p.Property == "Properties.CidrBlock" && p.Location!.Line == 5);
        Assert.Contains(problems, p => p.Resource == "Subnet" && p.Property == "Properties.CidrBlock" && p.Message.Contains("attribute type Bad", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Resource == "A" && p.Property == "DependsOn" && p.Location!.Line == 7);
        Assert.Empty(result.Model.Vpcs);
    }

    [Fact]
    public void ModelProblems_AfterEvaluation_CarryTemplateLocation()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Subnet:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: 10.2.0.0/24
            """);
        Assert.Equal(("Subnet", "Properties.CidrBlock"), (problem.Resource, problem.Property));
        Assert.Contains("invalid for VPC Vpc", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("template.yaml", 7, 7), problem.Location);
    }

    [Fact]
    public void UnknownSectionAndResourceAttribute_AreProblems()
    {
        var result = TestTemplates.Load("""
            Resourses: {}
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Propertes: { CidrBlock: 10.1.0.0/16 } }
            """);
        Assert.Contains(result.Validation.Problems, p => p.Property == "Resourses" && p.Location!.Line == 1);
        Assert.Contains(result.Validation.Problems, p => p.Resource == "Vpc" && p.Property == "Propertes");
    }

    [Fact]
    public void Load_ParameterAndOutputNamesNotAlphanumeric_AreProblemsAtTheirKeys()
    {
        var result = TestTemplates.Load("""
            Parameters:
              My-Param: { Type: String, Default: x }
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
            Outputs:
              My_Out:
                Value: !Ref My-Param
            """);
        Assert.Equal(
            [("My-Param", string.Empty, 2, 3), ("My_Out", string.Empty, 6, 3)],
            result.Validation.Problems.Select(p => (p.Resource, p.Property, p.Location!.Line, p.Location.Column)));
        Assert.Equal(
            ["Template format error: Parameter name My-Param is non alphanumeric.", "Template format error: Output name My_Out is non alphanumeric."],
            result.Validation.Problems.Select(p => p.Message));
    }

    [Theory]
    [InlineData("\"2011-01-01\"")]
    [InlineData("2010-09-10")]
    [InlineData("{ Ref: AWS::Region }")]
    public void FormatVersion_OtherThan20100909_IsProblemAtTheVersion(string version)
    {
        // 2010-09-09 is the only version CloudFormation knows, and it must be written out, not given by a function.
        var problem = TestTemplates.SingleProblem($$"""
            AWSTemplateFormatVersion: {{version}}
            Resources:
              Log: { Type: AWS::Logs::LogGroup }
            """);

        Assert.Equal(("Template", "AWSTemplateFormatVersion", 1), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.StartsWith("AWSTemplateFormatVersion must be the string 2010-09-09", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2010-09-09")]
    [InlineData("\"2010-09-09\"")]
    public void FormatVersion_20100909_QuotedOrNot_IsAccepted(string version) =>
        TestTemplates.LoadValid($"AWSTemplateFormatVersion: {version}\nResources:\n  Log: {{ Type: AWS::Logs::LogGroup }}\n");

    [Theory]
    [InlineData("!Ref Vpc", "Template format error: DependsOn must be a string or list of strings.")]
    [InlineData("{ Fn::GetAtt: [Vpc, CidrBlock] }", "Template format error: DependsOn must be a string or list of strings.")]
    [InlineData("[Vpc, !Ref Vpc]", "Template format error: Every DependsOn value must be a string.")]
    public void DependsOn_NotAResourceName_IsCloudFormationsFormatError(string dependsOn, string message)
    {
        // DependsOn names resources; a Ref (a common slip) gives a resource's physical id, which CloudFormation refuses.
        var problem = TestTemplates.SingleProblem($$"""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              Log:
                Type: AWS::Logs::LogGroup
                DependsOn: {{dependsOn}}
            """);

        Assert.Equal(("Log", "DependsOn", 5), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void MissingResources_IsProblem()
    {
        var problem = TestTemplates.SingleProblem("Description: nothing here\n");
        Assert.Equal("Resources", problem.Property);
    }

    [Fact]
    public void ServerlessTypeWithoutTransform_SaysWhatIsMissing()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Fn: { Type: AWS::Serverless::Function, Properties: { InlineCode: x, Handler: a.b, Runtime: nodejs20.x } }
            """);
        Assert.Contains("Transform: AWS::Serverless-2016-10-31", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameAddressTwice_InOneSubnet_IsProblem()
    {
        var result = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
              A: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
              B: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24 } }
              I1: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref A, PrivateIpAddress: 10.1.1.20 } }
              I2: { Type: AWS::EC2::Instance, Properties: { SubnetId: !Ref A, PrivateIpAddress: 10.1.1.20 } }
            """);
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("I2", "Properties.PrivateIpAddress"), (problem.Resource, problem.Property));
    }
}
