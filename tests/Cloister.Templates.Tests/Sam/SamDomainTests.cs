using Cloister.Model.Api;

namespace Cloister.Templates.Tests.Sam;

/// <summary>The Domain property of AWS::Serverless::Api, expanded as SAM does and mapped to the model.</summary>
public class SamDomainTests
{
    private const string Function = """

          Fn:
            Type: AWS::Serverless::Function
            Properties:
              InlineCode: x
              Handler: index.handler
              Runtime: nodejs20.x
              Events: { Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /x, Method: get } } }
        """;

    [Fact]
    public void Domain_Private_GivesDomainNameV2MappingsAndAccessAssociation()
    {
        var model = TestTemplates.LoadValid("""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Cert: { Type: AWS::CertificateManager::Certificate, Properties: { DomainName: api.corp.internal } }
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: dev
                  EndpointConfiguration: { Type: PRIVATE, VPCEndpointIds: [vpce-0123456789abcdef0] }
                  Auth: { ResourcePolicy: { CustomStatements: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/* }] } }
                  Domain:
                    DomainName: api.corp.internal
                    CertificateArn: !Ref Cert
                    EndpointConfiguration: PRIVATE
                    BasePath: [/claims, /v2]
                    SecurityPolicy: SecurityPolicy_TLS13_1_2_2021_06
                    EndpointAccessMode: STRICT
                    Policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*" }] }
                    AccessAssociation: { VpcEndpointId: vpce-0123456789abcdef0 }
            """ + Function).Model;

        var domain = Assert.Single(model.PrivateDomainNames);
        Assert.Equal(("api.corp.internal", model.Certificates.Single().Id), (domain.Name, domain.CertificateArn));
        Assert.NotNull(domain.Policy);
        Assert.Equal(("SecurityPolicy_TLS13_1_2_2021_06", "STRICT"), (domain.SecurityPolicy, domain.EndpointAccessMode));
        var api = model.RestApis.Single();
        Assert.Equal(["claims", "v2"], model.PrivateBasePathMappings.Select(m => m.BasePath).Order(StringComparer.Ordinal));
        Assert.All(model.PrivateBasePathMappings, m => Assert.Equal((domain.Id, api.Id, "dev"), (m.DomainNameArn, m.RestApiId, m.Stage)));
        var access = Assert.Single(model.DomainNameAccessAssociations);
        Assert.Equal((domain.Id, "vpce-0123456789abcdef0"), (access.DomainNameArn, access.Source));
    }

    [Fact]
    public void Domain_RegionalWithoutBasePath_MapsTheWholeName()
    {
        var model = TestTemplates.LoadValid(TestTemplates.SamApi("""
                  StageName: prod
                  Domain: { DomainName: api.example.com, CertificateArn: "arn:aws:acm:eu-central-1:123456789012:certificate/abc" }
            """) + Function).Model;

        var domain = Assert.Single(model.DomainNames);
        Assert.Equal((EndpointType.Regional, "arn:aws:acm:eu-central-1:123456789012:certificate/abc"), (domain.EndpointType, domain.CertificateArn));
        var mapping = Assert.Single(model.BasePathMappings);
        Assert.Equal(("api.example.com", string.Empty, "prod"), (mapping.DomainName, mapping.BasePath, mapping.Stage));
    }

    [Fact]
    public void Domain_WithoutCertificate_IsAProblem()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.SamApi("""
                  StageName: prod
                  Domain: { DomainName: api.example.com }
            """) + Function);

        Assert.Equal(("Api", "Properties.Domain"), (problem.Resource, problem.Property));
    }
}
