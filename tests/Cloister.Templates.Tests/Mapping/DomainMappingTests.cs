using Cloister.Model.Api;

namespace Cloister.Templates.Tests.Mapping;

/// <summary>API Gateway VPC links and custom domain names, public and private, mapped from CloudFormation.</summary>
public class DomainMappingTests
{
    private const string Base = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
          SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24, AvailabilityZone: eu-central-1b } }
          Endpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.execute-api, VpcEndpointType: Interface, PrivateDnsEnabled: true, SubnetIds: [!Ref SubnetA, !Ref SubnetB] }
          Cert: { Type: AWS::CertificateManager::Certificate, Properties: { DomainName: api.corp.internal } }
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Name: claims
              EndpointConfiguration: { Types: [PRIVATE], VpcEndpointIds: [!Ref Endpoint] }
              Policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*" }] }
          Get:
            Type: AWS::ApiGateway::Method
            Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK, RequestTemplates: { application/json: '{"statusCode": 200}' } } }
          Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Api, StageName: dev } }
        """;

    [Fact]
    public void DomainNameV2_WithMappingAndAssociation_MapsToModel()
    {
        var model = TestTemplates.LoadValid(Base + """

              PrivateDomain:
                Type: AWS::ApiGateway::DomainNameV2
                Properties:
                  DomainName: API.corp.internal
                  CertificateArn: !Ref Cert
                  EndpointConfiguration: { Types: [PRIVATE] }
                  Policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*", Condition: { StringEquals: { aws:SourceVpce: !Ref Endpoint } } }] }
              Mapping:
                Type: AWS::ApiGateway::BasePathMappingV2
                DependsOn: Deployment
                Properties: { DomainNameArn: !GetAtt PrivateDomain.DomainNameArn, RestApiId: !Ref Api, Stage: dev, BasePath: claims }
              Access:
                Type: AWS::ApiGateway::DomainNameAccessAssociation
                Properties: { DomainNameArn: !Ref PrivateDomain, AccessAssociationSource: !Ref Endpoint, AccessAssociationSourceType: VPCE }
            """).Model;

        var domain = Assert.Single(model.PrivateDomainNames);
        Assert.Equal("api.corp.internal", domain.Name);
        Assert.Matches("^[a-z0-9]{10}$", domain.DomainNameId);
        Assert.Equal($"arn:aws:apigateway:eu-central-1:123456789012:/domainnames/api.corp.internal+{domain.DomainNameId}", domain.Id);
        Assert.Equal(model.Certificates.Single().Id, domain.CertificateArn);
        Assert.Contains("aws:SourceVpce", domain.Policy, StringComparison.Ordinal);
        Assert.Equal(("TLS_1_2", null), (domain.SecurityPolicy, domain.EndpointAccessMode));
        Assert.Equal($"arn:aws:execute-api:eu-central-1:123456789012:/domainnames/api.corp.internal+{domain.DomainNameId}", domain.ExecuteApiArn(TestTemplates.Account));
        var mapping = Assert.Single(model.PrivateBasePathMappings);
        Assert.Equal((domain.Id, "claims", model.RestApis.Single().Id, "dev"), (mapping.DomainNameArn, mapping.BasePath, mapping.RestApiId, mapping.Stage));
        var access = Assert.Single(model.DomainNameAccessAssociations);
        Assert.Equal((domain.Id, "VPCE", model.VpcEndpoints.Single().Id), (access.DomainNameArn, access.SourceType, access.Source));
    }

    [Fact]
    public void DomainName_RegionalWithNoneBasePath_MapsToModel()
    {
        var model = TestTemplates.LoadValid(Base + """

              Public:
                Type: AWS::ApiGateway::DomainName
                Properties: { DomainName: api.corp.internal, RegionalCertificateArn: !Ref Cert, EndpointConfiguration: { Types: [REGIONAL] } }
              Mapping:
                Type: AWS::ApiGateway::BasePathMapping
                DependsOn: [Deployment, Public]
                Properties: { DomainName: api.corp.internal, RestApiId: !Ref Api, Stage: dev, BasePath: "(none)" }
            """).Model;

        var domain = Assert.Single(model.DomainNames);
        Assert.Equal(("api.corp.internal", EndpointType.Regional, model.Certificates.Single().Id, "TLS_1_2"), (domain.Name, domain.EndpointType, domain.CertificateArn, domain.SecurityPolicy));
        var mapping = Assert.Single(model.BasePathMappings);
        Assert.Equal(("api.corp.internal", string.Empty, "dev"), (mapping.DomainName, mapping.BasePath, mapping.Stage));
    }

    [Fact]
    public void VpcLink_TargetsTheNetworkLoadBalancer()
    {
        var model = TestTemplates.LoadValid(Base + """

              Nlb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: backend, Type: network, Scheme: internal, Subnets: [!Ref SubnetA] } }
              Link: { Type: AWS::ApiGateway::VpcLink, Properties: { Name: to-backend, TargetArns: [!Ref Nlb] } }
            """).Model;

        var link = Assert.Single(model.VpcLinks);
        Assert.Equal(("to-backend", model.LoadBalancers.Single().Id), (link.Name, Assert.Single(link.TargetArns)));
        Assert.Matches("^[a-z0-9]+$", link.Id);
    }

    [Fact]
    public void BadReferences_AreProblemsNamingResourceAndProperty()
    {
        var result = TestTemplates.Load(Base + """

              Alb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Name: web, Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] } }
              Link: { Type: AWS::ApiGateway::VpcLink, Properties: { Name: wrong, TargetArns: [!Ref Alb] } }
              Orphan:
                Type: AWS::ApiGateway::BasePathMapping
                Properties: { DomainName: nowhere.corp.internal, RestApiId: !Ref Api, Stage: prod }
              Access:
                Type: AWS::ApiGateway::DomainNameAccessAssociation
                Properties: { DomainNameArn: "arn:aws:apigateway:eu-central-1:123456789012:/domainnames/x+abc", AccessAssociationSource: !Ref Endpoint }
            """);

        var problems = result.Validation.Problems.Select(p => (p.Resource, p.Property)).ToHashSet();
        Assert.Contains(("Link", "Properties.TargetArns"), problems);
        Assert.Contains(("Orphan", "Properties.DomainName"), problems);
        Assert.Contains(("Orphan", "Properties.Stage"), problems);
        Assert.Contains(("Access", "Properties.DomainNameArn"), problems);
    }
    [Fact]
    public void DomainNameV2_EnhancedPolicyAndStrictMode_MapsToModel()
    {
        var model = TestTemplates.LoadValid(Base + """

              PrivateDomain:
                Type: AWS::ApiGateway::DomainNameV2
                Properties: { DomainName: api.corp.internal, CertificateArn: !Ref Cert, SecurityPolicy: SecurityPolicy_TLS13_1_3_2025_09, EndpointAccessMode: STRICT }
            """).Model;

        var domain = Assert.Single(model.PrivateDomainNames);
        Assert.Equal(("SecurityPolicy_TLS13_1_3_2025_09", "STRICT"), (domain.SecurityPolicy, domain.EndpointAccessMode));
    }

    [Theory]
    [InlineData("SecurityPolicy: TLS_1_0", "SecurityPolicy")]
    [InlineData("SecurityPolicy: SecurityPolicy_TLS13_2025_EDGE, EndpointAccessMode: STRICT", "SecurityPolicy")]
    [InlineData("SecurityPolicy: TLS_1_3", "SecurityPolicy")]
    [InlineData("SecurityPolicy: SecurityPolicy_TLS13_1_3_2025_09", "EndpointAccessMode")]
    [InlineData("SecurityPolicy: SecurityPolicy_TLS13_1_3_2025_09, EndpointAccessMode: LAX", "EndpointAccessMode")]
    [InlineData("SecurityPolicy: TLS_1_2, EndpointAccessMode: STRICT", "EndpointAccessMode")]
    [InlineData("EndpointAccessMode: BASIC", "EndpointAccessMode")]
    public void DomainNameV2_PolicyOrAccessModeApiGatewayRefuses_IsAProblem(string properties, string property)
    {
        var problem = TestTemplates.SingleProblem(Base + $$"""

              PrivateDomain:
                Type: AWS::ApiGateway::DomainNameV2
                Properties: { DomainName: api.corp.internal, CertificateArn: !Ref Cert, {{properties}} }
            """);

        Assert.Equal(("PrivateDomain", "Properties." + property), (problem.Resource, problem.Property));
    }

    [Fact]
    public void DomainName_EdgePolicyOnEdgeNameWithBasicMode_MapsToModel()
    {
        var model = TestTemplates.LoadValid(Base + """

              Public:
                Type: AWS::ApiGateway::DomainName
                Properties: { DomainName: api.corp.internal, CertificateArn: !Ref Cert, SecurityPolicy: SecurityPolicy_TLS13_2025_EDGE, EndpointAccessMode: BASIC }
            """).Model;

        var domain = Assert.Single(model.DomainNames);
        Assert.Equal((EndpointType.Edge, "SecurityPolicy_TLS13_2025_EDGE", "BASIC"), (domain.EndpointType, domain.SecurityPolicy, domain.EndpointAccessMode));
        Assert.Null(domain.RegionalDomainName);
    }

    [Fact]
    public void GetAtt_RegionalDomainNameAndHostedZoneId_TheModelsRegionalNameAndTheRegionsApiGatewayZone()
    {
        var model = TestTemplates.LoadValid(Base + """

              Public:
                Type: AWS::ApiGateway::DomainName
                Properties: { DomainName: API.corp.internal, RegionalCertificateArn: !Ref Cert, EndpointConfiguration: { Types: [REGIONAL] } }
              Zone:
                Type: AWS::Route53::HostedZone
                Properties: { Name: corp.internal, VPCs: [{ VPCId: !Ref Vpc, VPCRegion: eu-central-1 }] }
              Alias:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: api.corp.internal
                  Type: A
                  AliasTarget: { DNSName: !GetAtt Public.RegionalDomainName, HostedZoneId: !GetAtt Public.RegionalHostedZoneId }
            """).Model;

        var domain = Assert.Single(model.DomainNames);
        var alias = Assert.Single(model.HostedZones.Single().Records, r => r.Alias is not null).Alias!;
        Assert.Matches(@"^d-[a-z0-9]{10}\.execute-api\.eu-central-1\.amazonaws\.com$", domain.RegionalDomainName);
        Assert.Equal((domain.RegionalDomainName, "Z1U9ULNL0V5AJ3"), (alias.DnsName, alias.HostedZoneId));
    }

    [Theory]
    [InlineData("us-east-1", "Z1UJRXOUMOOFQ8")]
    [InlineData("eu-west-1", "ZLY8HYME6SFDD")]
    [InlineData("ap-southeast-2", "Z2RPCDW04V8134")]
    public void RegionalOf_RegionsOfAwsEndpointTable_TheirApiGatewayZone(string region, string zone) =>
        Assert.Equal(zone, ApiGatewayHostedZones.RegionalOf(region));
}
