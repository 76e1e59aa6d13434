namespace Cloister.Templates.Tests.Evaluation;

/// <summary>A dependency cycle is reported once, named after how the first resource depends on the next.</summary>
public class DependencyCycleTests
{
    [Fact]
    public void Cycle_ThroughRef_NamesPropertiesAndLeavesItsOutputsUnreported()
    {
        var result = TestTemplates.Load("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, Tags: [{ Key: Name, Value: !Ref Subnet }] } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
            Outputs:
              Zone: { Value: !Select [1, !Split ["-", !GetAtt Subnet.AvailabilityZone]] }
              Region: { Value: !Ref AWS::Region }
            """);

        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Vpc", "Properties", "Circular dependency between resources: [Vpc, Subnet] (Vpc -> Subnet -> Vpc)"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Cycle_ThroughDependsOn_NamesDependsOn()
    {
        var problem = TestTemplates.SingleProblem("""
            Resources:
              Vpc: { Type: AWS::EC2::VPC, DependsOn: Subnet, Properties: { CidrBlock: 10.1.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24 } }
            """);

        Assert.Equal(("Vpc", "DependsOn", "Circular dependency between resources: [Vpc, Subnet] (Vpc -> Subnet -> Vpc)"), (problem.Resource, problem.Property, problem.Message));
    }
}
