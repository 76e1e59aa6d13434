using Cloister.Model.Api;
using Cloister.Model.Dns;
using Cloister.Model.Network;
using Cloister.Model.Validation;

namespace Cloister.Templates.Tests;

public class SeedArchitectureTests
{
    private static TemplateLoadResult LoadSeed()
    {
        var path = TestTemplates.DataPath("seed-architecture", "template.yaml");
        var result = TemplateLoader.Load([new TemplateFile(path) { StackName = "seed" }], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.True(ModelValidator.Validate(result.Model).IsValid);
        return result;
    }

    [Fact]
    public void Load_SeedTemplate_BuildsBothVpcsWithSubnetsAndPeering()
    {
        var model = LoadSeed().Model;
        var api = Assert.Single(model.Vpcs, v => v.LogicalId == "ApiVpc");
        var client = Assert.Single(model.Vpcs, v => v.LogicalId == "ClientVpc");
        Assert.Equal("10.0.0.0/16", api.CidrBlock);
        Assert.Equal("172.128.0.0/16", client.CidrBlock);
        Assert.True(api.EnableDnsHostnames);
        var apiSubnets = model.Subnets.Where(s => s.VpcId == api.Id).OrderBy(s => s.CidrBlock, StringComparer.Ordinal).ToList();
        Assert.Equal(["10.0.1.0/24", "10.0.2.0/24"], apiSubnets.Select(s => s.CidrBlock));
        Assert.Equal(["eu-central-1a", "eu-central-1b"], apiSubnets.Select(s => s.AvailabilityZone));
        var peering = Assert.Single(model.PeeringConnections);
        Assert.Equal((client.Id, api.Id), (peering.RequesterVpcId, peering.AccepterVpcId));
        var clientTable = Assert.Single(model.RouteTables, t => t.LogicalId == "ClientRouteTable");
        var route = Assert.Single(clientTable.Routes);
        Assert.Equal(new Route("10.0.0.0/16", RouteTargetKind.PeeringConnection, peering.Id), route);
        Assert.Equal(2, clientTable.SubnetIds.Length);
    }

    [Fact]
    public void Load_SeedTemplate_InterfaceEndpointHasPrivateDnsAndSecurityGroupAllowing443()
    {
        var model = LoadSeed().Model;
        var endpoint = Assert.Single(model.VpcEndpoints, e => e.Type == VpcEndpointType.Interface);
        Assert.Equal("com.amazonaws.eu-central-1.execute-api", endpoint.ServiceName);
        Assert.True(endpoint.PrivateDnsEnabled);
        Assert.Equal(2, endpoint.NetworkInterfaces.Length);
        Assert.All(endpoint.NetworkInterfaces, eni => Assert.StartsWith("10.0.", eni.PrivateIpAddress, StringComparison.Ordinal));
        var group = Assert.Single(model.SecurityGroups, g => g.Id == Assert.Single(endpoint.SecurityGroupIds));
        Assert.Contains(group.Ingress, r => r.Protocol == "tcp" && r.FromPort == 443 && r.ToPort == 443 && r.Cidr == "172.128.0.0/16");
        var gateway = Assert.Single(model.VpcEndpoints, e => e.Type == VpcEndpointType.Gateway);
        Assert.Equal("com.amazonaws.eu-central-1.dynamodb", gateway.ServiceName);
        Assert.Equal(Assert.Single(model.RouteTables, t => t.LogicalId == "PrivateRouteTable").Id, Assert.Single(gateway.RouteTableIds));
    }

    [Fact]
    public void Load_SeedTemplate_ResolverEndpointsAndForwardRule()
    {
        var model = LoadSeed().Model;
        var inbound = Assert.Single(model.ResolverEndpoints, e => e.Direction == ResolverDirection.Inbound);
        var outbound = Assert.Single(model.ResolverEndpoints, e => e.Direction == ResolverDirection.Outbound);
        Assert.Equal(["10.0.1.10", "10.0.2.10"], inbound.IpAddresses.Select(a => a.Ip));
        Assert.Equal(["172.128.1.10", "172.128.2.10"], outbound.IpAddresses.Select(a => a.Ip));
        Assert.StartsWith("rslvr-in-", inbound.Id, StringComparison.Ordinal);
        Assert.Equal(model.Vpcs.Single(v => v.LogicalId == "ClientVpc").Id, outbound.VpcId);
        var rule = Assert.Single(model.ResolverRules);
        Assert.Equal(ResolverRuleType.Forward, rule.RuleType);
        Assert.Equal("execute-api.eu-central-1.amazonaws.com", rule.DomainName);
        Assert.Equal(outbound.Id, rule.ResolverEndpointId);
        Assert.Equal([new TargetAddress("10.0.1.10"), new TargetAddress("10.0.2.10")], rule.TargetIps.AsEnumerable());
        var association = Assert.Single(model.ResolverRuleAssociations);
        Assert.Equal((rule.Id, outbound.VpcId), (association.ResolverRuleId, association.VpcId));
    }

    [Fact]
    public void Load_SeedTemplate_PrivateApiWithDevStageAndVpcePolicy()
    {
        var model = LoadSeed().Model;
        var api = Assert.Single(model.RestApis);
        var endpoint = model.VpcEndpoints.Single(e => e.Type == VpcEndpointType.Interface);
        Assert.Equal("claims-api", api.Name);
        Assert.Equal(EndpointType.Private, api.EndpointType);
        Assert.Equal([endpoint.Id], api.VpcEndpointIds.AsEnumerable());
        Assert.Contains(model.Stages, s => s.StageName == "dev" && s.RestApiId == api.Id);
        var claim = Assert.Single(api.Resources, r => r.Path == "/claim");
        var post = Assert.Single(claim.Methods);
        Assert.Equal("POST", post.HttpMethod);
        Assert.Equal(IntegrationType.AwsProxy, post.Integration!.Type);
        Assert.Equal("arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:123456789012:function:createClaim/invocations", post.Integration.Uri);
        var arn = $"arn:aws:execute-api:eu-central-1:123456789012:{api.Id}/dev";
        var expected = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":["{{{{arn}}}}/POST/claim"],"Principal":"*"},{"Effect":"Deny","Action":"execute-api:Invoke","Resource":["{{{{arn}}}}/POST/claim"],"Principal":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":["{{{{endpoint.Id}}}}"]}}},{"Effect":"Allow","Action":"execute-api:Invoke","Resource":["{{{{arn}}}}/GET/claim/*"],"Principal":"*"},{"Effect":"Deny","Action":"execute-api:Invoke","Resource":["{{{{arn}}}}/GET/claim/*"],"Principal":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":["{{{{endpoint.Id}}}}"]}}}]}""";
        Assert.Equal(expected, api.Policy);
    }

    [Fact]
    public void Load_SeedTemplate_FunctionsInVpcWithTableAndLocalCode()
    {
        var result = LoadSeed();
        var model = result.Model;
        var table = Assert.Single(model.Tables);
        Assert.Equal("claimsTable", table.TableName);
        Assert.Equal("PAY_PER_REQUEST", table.BillingMode);
        Assert.Equal(["PK", "SK"], table.KeySchema.Select(k => k.AttributeName));
        var create = Assert.Single(model.Functions, f => f.FunctionName == "createClaim");
        Assert.Equal("nodejs20.x", create.Runtime);
        Assert.Equal(256, create.MemorySize);
        Assert.Equal("claimsTable", create.Environment["DYNAMODB_TABLE_NAME"]);
        Assert.Equal(2, create.Vpc!.SubnetIds.Length);
        Assert.Equal(TestTemplates.DataPath("seed-architecture", "claims"), create.CodePath);
        var code = Assert.Single(result.Code, c => c.FunctionName == "createClaim");
        Assert.Equal(CodeKind.NodeProject, code.Kind);
    }

    [Fact]
    public void Load_SeedTemplate_OutputsAndExportsResolved()
    {
        var result = LoadSeed();
        var stack = Assert.Single(result.Stacks);
        var api = result.Model.RestApis.Single();
        var outputs = stack.Outputs.ToDictionary(o => o.OutputKey, o => o);
        Assert.Equal($"https://{api.Id}.execute-api.eu-central-1.amazonaws.com/dev/claim", outputs["ClaimUrl"].OutputValue);
        Assert.Equal("seed-ExecuteApiEndpoint", outputs["ExecuteApiEndpointId"].ExportName);
        Assert.Matches(@"^vpce-[0-9a-f]{17}-[a-z0-9]{8}\.execute-api\.eu-central-1\.vpce\.amazonaws\.com$", outputs["ExecuteApiEndpointDnsName"].OutputValue);
        Assert.Equal("10.0.1.10,10.0.2.10", outputs["InboundResolverAddresses"].OutputValue);
        Assert.Contains(stack.Resources, r => r.ResourceType == "AWS::IAM::Role" && r.Modelled);
        Assert.Contains(stack.Resources, r => r.ResourceType == "AWS::Lambda::Permission");
    }
}
