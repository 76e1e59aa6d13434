namespace Cloister.Templates.Tests.Mapping;

/// <summary><c>AWS::Lambda::Version</c> and <c>AWS::Lambda::Alias</c>: added to their function, refused as Lambda refuses them.</summary>
public class VersionAliasMappingTests
{
    private const string Fn = """
          Fn: { Type: AWS::Lambda::Function, Properties: { FunctionName: claims, Runtime: nodejs20.x, Handler: index.handler, Code: { ZipFile: x }, MemorySize: 256 } }
          Other: { Type: AWS::Lambda::Function, Properties: { FunctionName: other, Runtime: nodejs20.x, Handler: index.handler, Code: { ZipFile: y } } }
        """;

    private static string Resources(string more, string outputs = "") => "Resources:\n" + Fn + "\n" + more + outputs;

    private const string VersionAndAlias = """
          V1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn, Description: first } }
          Live: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt V1.Version, Name: live } }
        """;

    [Fact]
    public void VersionAndAlias_Mapped_AddsThemToTheFunctionAndResolvesRefAndGetAtt()
    {
        var result = TestTemplates.LoadValid(Resources(VersionAndAlias, """

            Outputs:
              VersionArn: { Value: !Ref V1 }
              VersionNumber: { Value: !GetAtt V1.Version }
              AliasArn: { Value: !Ref Live }
              AliasAttribute: { Value: !GetAtt Live.AliasArn }
            """));

        var function = result.Model.Functions.Single(f => f.FunctionName == "claims");
        var version = Assert.Single(function.Versions);
        Assert.Equal(("V1", "1", "first", 256), (version.LogicalId, version.Version, version.Description, version.Configuration.MemorySize));
        var alias = Assert.Single(function.Aliases);
        Assert.Equal(("Live", "live", "1"), (alias.LogicalId, alias.Name, alias.FunctionVersion));
        var outputs = result.Stacks.Single().Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue);
        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:function:claims:1", outputs["VersionArn"]);
        Assert.Equal("1", outputs["VersionNumber"]);
        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:function:claims:live", outputs["AliasArn"]);
        Assert.Equal(outputs["AliasArn"], outputs["AliasAttribute"]);
    }

    [Fact]
    public void Permission_OnTheAliasRef_KeepsTheQualifier()
    {
        var model = TestTemplates.LoadValid(Resources(VersionAndAlias + "\n" + """
              Allow: { Type: AWS::Lambda::Permission, Properties: { FunctionName: !Ref Live, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com } }
              AllowAll: { Type: AWS::Lambda::Permission, Properties: { FunctionName: "claims:$LATEST", Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com } }
            """)).Model;

        var permissions = model.Functions.Single(f => f.FunctionName == "claims").Permissions;
        Assert.Equal([("Allow", "live"), ("AllowAll", null)], permissions.Select(p => (p.LogicalId, p.Qualifier)));
    }

    [Fact]
    public void Permission_OnAnAliasThatDoesNotExist_IsAnErrorWithLambdasWords()
    {
        var problem = TestTemplates.SingleProblem(Resources("""
              Allow: { Type: AWS::Lambda::Permission, Properties: { FunctionName: "claims:nope", Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com } }
            """));

        Assert.Equal(("Allow", "Properties.FunctionName", "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:claims:nope"), (problem.Resource, problem.Property, problem.Message));
    }

    [Theory]
    [InlineData("V2: { Type: AWS::Lambda::Version, Properties: { FunctionName: nowhere } }", "V2", "Properties.FunctionName", "'nowhere' is not a function of these templates.")]
    [InlineData("V2: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn } }", "V2", "Properties.FunctionName", "A version for this Lambda function exists ( 1 ). Modify the function to create a new version.")]
    [InlineData("A: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: '2', Name: two } }", "A", "Properties.FunctionVersion", "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:claims:2")]
    [InlineData("A: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: '1', Name: '42' } }", "A", "Properties.Name", "1 validation error detected: Value '42' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")]
    [InlineData("A: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: '1', Name: live } }", "A", "Properties.Name", "Alias already exists: arn:aws:lambda:eu-central-1:123456789012:function:claims:live")]
    [InlineData("A: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: latest, Name: l } }", "A", "Properties.FunctionVersion", "1 validation error detected: Value 'latest' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)")]
    public void VersionOrAlias_Refused_IsAnErrorNamingTheResourceAndProperty(string resource, string logicalId, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(Resources(VersionAndAlias + "\n  " + resource + "\n"));

        Assert.Equal((logicalId, property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Alias_OnAVersionOfAnotherFunction_IsAnErrorAtFunctionVersion()
    {
        var problem = TestTemplates.SingleProblem(Resources(VersionAndAlias + "\n" + """
              OtherV1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Other } }
              Wrong: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt OtherV1.Version, Name: wrong } }
            """));

        Assert.Equal(("Wrong", "Properties.FunctionVersion"), (problem.Resource, problem.Property));
        Assert.Contains("'OtherV1' is a version of other, not of claims", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A weighted alias is checked as Lambda's CreateAlias checks it. A deployment publishes one version of a function,
    /// so each of these is refused (the last two on whichever rule a second version would still break).
    /// </summary>
    [Theory]
    [InlineData("1", "[{ FunctionVersion: '1', FunctionWeight: 0.1 }]", "Properties.RoutingConfig.AdditionalVersionWeights[0].FunctionVersion", "Invalid function version 1. Function version 1 is already included in routing configuration.")]
    [InlineData("$LATEST", "[{ FunctionVersion: '1', FunctionWeight: 0.1 }]", "Properties.RoutingConfig.AdditionalVersionWeights[0].FunctionVersion", "$LATEST is not supported for an alias pointing to more than 1 version")]
    [InlineData("1", "[{ FunctionVersion: '2', FunctionWeight: 0.1 }]", "Properties.RoutingConfig.AdditionalVersionWeights[0].FunctionVersion", "Function not found: arn:aws:lambda:eu-central-1:123456789012:function:claims:2")]
    [InlineData("1", "[{ FunctionVersion: '2', FunctionWeight: 1.5 }]", "Properties.RoutingConfig.AdditionalVersionWeights[0].FunctionWeight", "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]")]
    [InlineData("1", "[{ FunctionVersion: '2', FunctionWeight: 0.1 }, { FunctionVersion: '3', FunctionWeight: 0.1 }]", "Properties.RoutingConfig.AdditionalVersionWeights", "Number of items in AdditionalVersionWeights cannot be greater than 1")]
    public void Alias_WeightedRoutingLambdaRefuses_IsAnErrorAtTheWeight(string primary, string weights, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(Resources(VersionAndAlias + "\n" + $$"""
              Weighted:
                Type: AWS::Lambda::Alias
                Properties:
                  FunctionName: !Ref Fn
                  FunctionVersion: "{{primary}}"
                  Name: canary
                  RoutingConfig: { AdditionalVersionWeights: {{weights}} }
            """));

        Assert.Equal(("Weighted", property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void ProvisionedConcurrency_OnAVersionAndAnAlias_IsInTheModel()
    {
        var model = TestTemplates.LoadValid(Resources("""
              V1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } } }
              Live: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt V1.Version, Name: live } }
              OtherV1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Other } }
              OtherLive: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Other, FunctionVersion: !GetAtt OtherV1.Version, Name: live, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 } } }
            """)).Model;

        var claims = model.Functions.Single(f => f.FunctionName == "claims");
        var other = model.Functions.Single(f => f.FunctionName == "other");
        Assert.Equal((2, (int?)null), (claims.Versions.Single().ProvisionedConcurrency, claims.Aliases.Single().ProvisionedConcurrency));
        Assert.Equal(((int?)null, 3), (other.Versions.Single().ProvisionedConcurrency, other.Aliases.Single().ProvisionedConcurrency));
    }

    /// <summary>What Lambda's PutProvisionedConcurrencyConfig refuses, in its words, at the alias's or version's property.</summary>
    [Theory]
    [InlineData("A: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: $LATEST, Name: head, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } } }", "A", "Properties.ProvisionedConcurrencyConfig", "Provisioned Concurrency Configs cannot be applied to unpublished function versions.")]
    [InlineData("OtherV1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Other, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 0 } } }", "OtherV1", "Properties.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions", "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("R: { Type: AWS::Lambda::Function, Properties: { FunctionName: r, Runtime: nodejs20.x, Handler: index.handler, Code: { ZipFile: z }, ReservedConcurrentExecutions: 2 } }\n  RV1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref R, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 } } }", "RV1", "Properties.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions", "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")]
    public void ProvisionedConcurrency_LambdaRefuses_IsAnErrorAtThatProperty(string resource, string logicalId, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(Resources(VersionAndAlias + "\n  " + resource + "\n"));

        Assert.Equal((logicalId, property, message), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void ProvisionedConcurrency_OnAnAliasOfAProvisionedVersion_IsAConflict()
    {
        var problem = TestTemplates.SingleProblem(Resources("""
              V1: { Type: AWS::Lambda::Version, Properties: { FunctionName: !Ref Fn, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } } }
              Live: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: !GetAtt V1.Version, Name: live, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } } }
            """));

        Assert.Equal(("Live", "Properties.ProvisionedConcurrencyConfig", "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"), (problem.Resource, problem.Property, problem.Message));
    }

    [Fact]
    public void Alias_OnLatest_IsMapped()
    {
        var model = TestTemplates.LoadValid(Resources("""
              Head: { Type: AWS::Lambda::Alias, Properties: { FunctionName: claims, FunctionVersion: $LATEST, Name: head } }
            """)).Model;

        Assert.Equal("$LATEST", model.Functions.Single(f => f.FunctionName == "claims").Aliases.Single().FunctionVersion);
    }
}
