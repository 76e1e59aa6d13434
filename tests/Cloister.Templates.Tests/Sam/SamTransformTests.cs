using Cloister.Model.Api;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Tests.Sam;

public class SamTransformTests
{
    private static string TypeOf(MapNode resources, string id) => ((MapNode)resources.Get(id)!).GetString("Type")!;

    private static MapNode PropsOf(MapNode resources, string id) => (MapNode)((MapNode)resources.Get(id)!).Get("Properties")!;

    /// <summary>A SAM function with one Api event on the template's <c>Api</c>, appended to a Resources section.</summary>
    private static string FunctionOnApi(string method) => $$"""

          Fn:
            Type: AWS::Serverless::Function
            Properties:
              InlineCode: x
              Handler: a.b
              Runtime: nodejs20.x
              Events:
                E: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /x, Method: {{method}} } }
        """;

    private const string ImplicitApi = """
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Runtime: python3.12
            Timeout: 5
            Environment: { Variables: { A: global, B: global } }
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties:
              InlineCode: "def handler(e, c): return {}"
              Handler: index.handler
              Timeout: 9
              Environment: { Variables: { B: own } }
              Policies: [AmazonDynamoDBReadOnlyAccess, { DynamoDBCrudPolicy: { TableName: claims } }]
              Events:
                Get: { Type: Api, Properties: { Path: "/items/{id}", Method: get } }
                Any: { Type: Api, Properties: { Path: /items, Method: any } }
        """;

    [Fact]
    public void Function_ImplicitApi_ExpandsAsSamNamesThem()
    {
        var resources = SamExpansion.Resources(ImplicitApi);
        var ids = resources.Entries.Select(e => e.Key).ToList();
        Assert.Equal("AWS::Lambda::Function", TypeOf(resources, "Hello"));
        Assert.Equal("AWS::IAM::Role", TypeOf(resources, "HelloRole"));
        Assert.Equal("AWS::Lambda::Permission", TypeOf(resources, "HelloGetPermissionProd"));
        Assert.Equal("AWS::Lambda::Permission", TypeOf(resources, "HelloAnyPermissionProd"));
        Assert.Equal("AWS::ApiGateway::RestApi", TypeOf(resources, "ServerlessRestApi"));
        Assert.Equal("AWS::ApiGateway::Stage", TypeOf(resources, "ServerlessRestApiProdStage"));
        Assert.Single(ids, id => id.StartsWith("ServerlessRestApiDeployment", StringComparison.Ordinal) && id.Length == "ServerlessRestApiDeployment".Length + 10);
    }

    [Fact]
    public void Function_Globals_MergeAsSamDoes()
    {
        var props = PropsOf(SamExpansion.Resources(ImplicitApi), "Hello");
        Assert.Equal("9", props.GetString("Timeout"));
        Assert.Equal("python3.12", props.GetString("Runtime"));
        var variables = (MapNode)((MapNode)props.Get("Environment")!).Get("Variables")!;
        Assert.Equal(("global", "own"), (variables.GetString("A"), variables.GetString("B")));
        Assert.Equal("def handler(e, c): return {}", ((MapNode)props.Get("Code")!).GetString("ZipFile"));
    }

    [Fact]
    public void Function_Role_HasBasicExecutionManagedAndTemplatePolicies()
    {
        var role = PropsOf(SamExpansion.Resources(ImplicitApi), "HelloRole");
        var managed = NodeJson.Write(role.Get("ManagedPolicyArns")!);
        Assert.Contains("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", managed, StringComparison.Ordinal);
        Assert.Contains("arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", managed, StringComparison.Ordinal);
        var inline = NodeJson.Write(role.Get("Policies")!);
        Assert.Contains("\"PolicyName\":\"HelloRolePolicy1\"", inline, StringComparison.Ordinal);
        Assert.Contains("dynamodb:PutItem", inline, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_ManagedPolicySamAddsItself_ListedOnce()
    {
        var role = PropsOf(SamExpansion.Resources(TestTemplates.SamInlineFunction("""
                  VpcConfig: { SubnetIds: [subnet-0123456789abcdef0], SecurityGroupIds: [sg-0123456789abcdef0] }
                  Policies: [AWSLambdaVPCAccessExecutionRole, AWSLambdaBasicExecutionRole]
            """)), "FnRole");

        var managed = Assert.IsType<ListNode>(role.Get("ManagedPolicyArns"));
        Assert.Equal(
            ["arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
            managed.Items.Select(i => ((MapNode)i).GetString("Fn::Sub")));
    }

    [Fact]
    public void Function_ApiEvents_BecomeProxyIntegrationsInGeneratedSwagger()
    {
        var body = (MapNode)PropsOf(SamExpansion.Resources(ImplicitApi), "ServerlessRestApi").Get("Body")!;
        Assert.Equal("2.0", body.GetString("swagger"));
        var paths = (MapNode)body.Get("paths")!;
        var get = (MapNode)((MapNode)paths.Get("/items/{id}")!).Get("get")!;
        var integration = (MapNode)get.Get("x-amazon-apigateway-integration")!;
        Assert.Equal(("aws_proxy", "POST"), (integration.GetString("type"), integration.GetString("httpMethod")));
        Assert.Equal(
            "{\"Fn::Sub\":\"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Hello.Arn}/invocations\"}",
            NodeJson.Write(integration.Get("uri")!));
        Assert.NotNull(((MapNode)paths.Get("/items")!).Get("x-amazon-apigateway-any-method"));
    }

    [Fact]
    public void Function_Permission_SourceArnUsesWildcardStageAndPath()
    {
        var permission = PropsOf(SamExpansion.Resources(ImplicitApi), "HelloGetPermissionProd");
        Assert.Equal(
            "{\"Fn::Sub\":[\"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/GET/items/*\",{\"__ApiId__\":{\"Ref\":\"ServerlessRestApi\"},\"__Stage__\":\"*\"}]}",
            NodeJson.Write(permission.Get("SourceArn")!));
        Assert.Equal("apigateway.amazonaws.com", permission.GetString("Principal"));
    }

    [Theory]
    [InlineData("dev", "FnEPermissiondev", "ApidevStage")]
    [InlineData("v1-beta", "FnEPermission2817521297", "ApiStage2817521297")]
    [InlineData("!Ref Stage", "FnEPermissionStage", "ApiStage")]
    public void Api_StageName_NamesPermissionAndStageAsSamDoes(string stageName, string permission, string stage)
    {
        // The hash is SAM's: the first 10 hex digits of SHA-1("v1-beta").
        var resources = SamExpansion.Resources($$"""
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage: { Type: String, Default: live }
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: {{stageName}}
            """ + FunctionOnApi("get"));
        Assert.Equal("AWS::Lambda::Permission", TypeOf(resources, permission));
        Assert.Equal("AWS::ApiGateway::Stage", TypeOf(resources, stage));
    }

    [Theory]
    [InlineData("/items/", "/GET/items")]
    [InlineData("/items/{id}/", "/GET/items/*")]
    [InlineData("/", "/GET/")]
    public void Function_PermissionForPathWithTrailingSlash_SourceArnDropsOneSlash(string path, string arnEnd)
    {
        var resources = SamExpansion.Resources($$"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              {{TestTemplates.SamFunction("Fn", path)}}
            """);
        var sourceArn = (ListNode)((MapNode)PropsOf(resources, "FnGetPermissionProd").Get("SourceArn")!).Get("Fn::Sub")!;
        Assert.EndsWith("${__Stage__}" + arnEnd, ((ScalarNode)sourceArn.Items[0]).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_DefinitionBodyAndDefinitionUri_IsSamsProblem()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.SamApi("""
                  DefinitionUri: nothere.yaml
                  DefinitionBody: { swagger: "2.0", info: { title: t }, paths: { /x: { get: { x-amazon-apigateway-integration: { type: mock } } } } }
                  StageName: dev
            """));
        Assert.Equal(("Api", "Properties.DefinitionUri", 6), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.", problem.Message);
    }

    private static TemplateLoadResult WithOpenApiVersion(string version) => TestTemplates.Load($$"""
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Api:
            OpenApiVersion: {{version}}
        Resources:
          {{TestTemplates.SamFunction("Fn")}}
        """);

    [Theory]
    [InlineData("\"2.0\"")]
    [InlineData("\"3.0\"")]
    [InlineData("\"3.0.1\"")]
    [InlineData("3.1")]
    public void Api_OpenApiVersionOfSamsPattern_IsAccepted(string version)
    {
        var result = WithOpenApiVersion(version);
        Assert.True(result.IsValid, result.Validation.ToString());
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("\"3\"")]
    [InlineData("\"3.0.0.1\"")]
    [InlineData("\"4.0\"")]
    [InlineData("\"3.10\"")]
    [InlineData("!Ref AWS::Region")]
    public void Api_OpenApiVersionNotOfSamsPattern_IsSamsProblem(string version)
    {
        var problem = Assert.Single(WithOpenApiVersion(version).Validation.Problems);
        // A Globals value is reported once, at its Globals key, whichever resources inherit it.
        Assert.Equal(("Globals", "Api.OpenApiVersion", 4), (problem.Resource, problem.Property, problem.Location!.Line));
        Assert.Equal("The OpenApiVersion value must be of the format '3.0.0'.", problem.Message);
    }

    [Fact]
    public void Load_ImplicitApi_GivesProdStageAndSamStageStage()
    {
        var result = TestTemplates.LoadValid(ImplicitApi);
        var api = Assert.Single(result.Model.RestApis);
        Assert.Equal("template", api.Name);
        Assert.Equal(["Prod", "Stage"], result.Model.Stages.Select(s => s.StageName).Order(StringComparer.Ordinal));
        Assert.Equal(EndpointType.Edge, api.EndpointType);
        var item = Assert.Single(api.Resources, r => r.Path == "/items/{id}");
        Assert.Equal("{id}", item.PathPart);
        Assert.Equal(api.Resources.Single(r => r.Path == "/items").Id, item.ParentId);
        Assert.Equal("ANY", Assert.Single(api.Resources.Single(r => r.Path == "/items").Methods).HttpMethod);
        var function = Assert.Single(result.Model.Functions);
        Assert.Equal(CodeKind.Inline, Assert.Single(result.Code).Kind);
        Assert.StartsWith("template-Hello-", function.FunctionName, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BlogOnPremTemplate_GivesExactlyThePolicySamGenerates()
    {
        var path = TestTemplates.DataPath("blog-onprem", "template.yaml");
        var result = TemplateLoader.Load([new TemplateFile(path) { StackName = "blog" }], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        var api = Assert.Single(result.Model.RestApis);
        var vpce = Assert.Single(result.Model.VpcEndpoints).Id;
        Assert.Equal(EndpointType.Private, api.EndpointType);
        var resource = $"arn:aws:execute-api:eu-central-1:123456789012:{api.Id}/DemoStage/GET/hello";
        var expected =
            "{\"Version\":\"2012-10-17\",\"Statement\":["
            + $"{{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"{resource}\"],\"Principal\":\"*\"}},"
            + $"{{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"{resource}\"],\"Principal\":\"*\",\"Condition\":{{\"StringNotEquals\":{{\"aws:SourceVpce\":[\"{vpce}\"]}}}}}}"
            + "]}";
        Assert.Equal(expected, api.Policy);
        Assert.Contains(result.Model.Stages, s => s.StageName == "DemoStage");
        var resolver = Assert.Single(result.Model.ResolverEndpoints);
        Assert.All(resolver.IpAddresses, a => Assert.NotNull(a.Ip));
        var resolverGroup = result.Model.SecurityGroups.Single(g => g.LogicalId == "ResolverSG");
        Assert.Equal(["tcp", "udp"], resolverGroup.Ingress.Select(r => r.Protocol));
        Assert.All(resolverGroup.Ingress, r => Assert.Equal(result.Model.PrefixLists.Single().Id, r.PrefixListId));
        Assert.Equal(CodeKind.PythonProject, Assert.Single(result.Code).Kind);
        Assert.Equal($"https://{api.Id}.execute-api.eu-central-1.amazonaws.com/DemoStage/hello", result.Stacks.Single().Outputs[0].OutputValue);
    }

    [Theory]
    [InlineData("IpRangeWhitelist: [10.0.0.0/8]", "{\"NotIpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\"]}}")]
    [InlineData("IpRangeBlacklist: [10.9.0.0/16]", "{\"IpAddress\":{\"aws:SourceIp\":[\"10.9.0.0/16\"]}}")]
    [InlineData("SourceVpcWhitelist: [vpc-1, vpce-2]", "{\"StringNotEquals\":{\"aws:SourceVpc\":[\"vpc-1\"],\"aws:SourceVpce\":[\"vpce-2\"]}}")]
    [InlineData("SourceVpcBlacklist: [vpce-3]", "{\"StringEquals\":{\"aws:SourceVpce\":[\"vpce-3\"]}}")]
    [InlineData("IntrinsicVpcWhitelist: [!Ref V]", "{\"StringNotEquals\":{\"aws:SourceVpc\":[{\"Ref\":\"V\"}]}}")]
    [InlineData("IntrinsicVpcBlacklist: [!Ref V]", "{\"StringEquals\":{\"aws:SourceVpc\":[{\"Ref\":\"V\"}]}}")]
    [InlineData("IntrinsicVpceBlacklist: [!Ref E]", "{\"StringEquals\":{\"aws:SourceVpce\":[{\"Ref\":\"E\"}]}}")]
    public void ResourcePolicy_Restriction_GivesAllowAndDenyPair(string restriction, string condition)
    {
        var resources = SamExpansion.Resources(TestTemplates.SamApi($$"""
                  StageName: dev
                  Auth:
                    ResourcePolicy:
                      {{restriction}}
            """) + FunctionOnApi("post"));
        var policy = NodeJson.Write(((MapNode)PropsOf(resources, "Api").Get("Body")!).Get("x-amazon-apigateway-policy")!);
        var resource = "[{\"Fn::Sub\":[\"execute-api:/${__Stage__}/POST/x\",{\"__Stage__\":\"dev\"}]}]";
        var expected = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + $"{{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":{resource},\"Principal\":\"*\"}},"
            + $"{{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":{resource},\"Principal\":\"*\",\"Condition\":{condition}}}]}}";
        Assert.Equal(expected, policy);
    }

    [Fact]
    public void ResourcePolicy_CustomStatementsAndAccounts_AreAppended()
    {
        var resources = SamExpansion.Resources(TestTemplates.SamApi("""
                  StageName: dev
                  DefinitionBody:
                    swagger: "2.0"
                    info: { title: t }
                    paths:
                      /a: { get: { x-amazon-apigateway-integration: { type: mock } } }
                  Auth:
                    ResourcePolicy:
                      AwsAccountWhitelist: ["111122223333"]
                      CustomStatements:
                        - { Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*/*/* }
            """));
        var statements = (ListNode)((MapNode)((MapNode)PropsOf(resources, "Api").Get("Body")!).Get("x-amazon-apigateway-policy")!).Get("Statement")!;
        Assert.Equal(2, statements.Items.Length);
        Assert.Contains("{\"AWS\":[\"111122223333\"]}", NodeJson.Write(statements.Items[0]), StringComparison.Ordinal);
        Assert.Equal("execute-api:/*/*/*", ((MapNode)statements.Items[1]).GetString("Resource"));
    }

    [Fact]
    public void Api_EndpointConfigurationAndStageSettings_MapToRestApiAndStage()
    {
        var result = TestTemplates.LoadValid(TestTemplates.SamApi("""
                  StageName: v1
                  OpenApiVersion: "3.0.1"
                  EndpointConfiguration: { Type: PRIVATE, VPCEndpointIds: [vpce-0123456789abcdef0] }
                  Variables: { Backend: blue }
                  MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5, LoggingLevel: INFO, DataTraceEnabled: true }]
                  AccessLogSetting: { DestinationArn: arn:aws:logs:eu-central-1:123456789012:log-group:access }
                  BinaryMediaTypes: [image~1png]
                  GatewayResponses:
                    ACCESS_DENIED: { StatusCode: 403, ResponseParameters: { Headers: { X-Why: "'denied'" } } }
            """) + FunctionOnApi("get"));
        var api = Assert.Single(result.Model.RestApis);
        Assert.Equal(EndpointType.Private, api.EndpointType);
        Assert.Equal("vpce-0123456789abcdef0", Assert.Single(api.VpcEndpointIds));
        Assert.Equal("image/png", Assert.Single(api.BinaryMediaTypes));
        var response = Assert.Single(api.GatewayResponses);
        Assert.Equal(("ACCESS_DENIED", "403", "'denied'"), (response.ResponseType, response.StatusCode, response.ResponseParameters["gatewayresponse.header.X-Why"]));
        var stage = Assert.Single(result.Model.Stages);
        Assert.Equal("v1", stage.StageName);
        Assert.Equal("blue", stage.Variables["Backend"]);
        Assert.Equal((10.0, 5), (stage.MethodSettings[0].ThrottlingRateLimit, stage.MethodSettings[0].ThrottlingBurstLimit));
        Assert.Equal(("INFO", true), (stage.MethodSettings[0].LoggingLevel, stage.MethodSettings[0].DataTraceEnabled));
        Assert.StartsWith("$context.identity.sourceIp", stage.AccessLog!.Format, StringComparison.Ordinal);
    }

    [Fact]
    public void SimpleTable_ExpandsToOnDemandTable()
    {
        var result = TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Plain: { Type: AWS::Serverless::SimpleTable }
              Keyed:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  TableName: orders
                  PrimaryKey: { Name: orderId, Type: Number }
            """);
        var plain = result.Model.Tables.Single(t => t.LogicalId == "Plain");
        Assert.Equal(("id", "S", "PAY_PER_REQUEST"), (plain.KeySchema.Single().AttributeName, plain.AttributeDefinitions["id"], plain.BillingMode));
        var keyed = result.Model.Tables.Single(t => t.LogicalId == "Keyed");
        Assert.Equal(("orders", "N"), (keyed.TableName, keyed.AttributeDefinitions["orderId"]));
    }

    [Fact]
    public void Transform_UnsupportedPieces_AreProblemsWithLocations()
    {
        var result = TestTemplates.Load("""
            Transform: [AWS::Serverless-2016-10-31, AWS::CodeDeployBlueGreen]
            Resources:
              Machine: { Type: AWS::Serverless::StateMachine }
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: x
                  Handler: a.b
                  Runtime: nodejs20.x
                  Events: { Q: { Type: SQS, Properties: { Queue: q } }, Api: { Type: Api, Properties: { RestApiId: !Ref Nope, Path: /x, Method: get } } }
            """);
        var problems = result.Validation.Problems;
        Assert.Contains(problems, p => p.Property == "Transform" && p.Location!.Line == 1);
        Assert.Contains(problems, p => p.Resource == "Machine" && p.Location!.Line == 3);
        Assert.Contains(problems, p => p.Resource == "Fn" && p.Property == "Properties.Events.Q.Type" && p.Location!.Line == 10);
        Assert.Contains(problems, p => p.Resource == "Fn" && p.Property.EndsWith("RestApiId", StringComparison.Ordinal));
    }
}
