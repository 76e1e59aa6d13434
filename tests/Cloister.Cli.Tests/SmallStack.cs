namespace Cloister.Cli.Tests;

/// <summary>The smallest stack the command tests bring up: one VPC, one subnet and the echo function.</summary>
internal static class SmallStack
{
    /// <summary>The template's text.</summary>
    public static readonly string Template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: 10.41.0.0/16 }
          Subnet:
            Type: AWS::EC2::Subnet
            Properties: { VpcId: !Ref Vpc, CidrBlock: 10.41.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] }

        """ + EchoFunction.Resource("Echo", "echo");
}
