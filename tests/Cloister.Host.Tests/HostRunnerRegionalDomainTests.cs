namespace Cloister.Host.Tests;

/// <summary>
/// A REGIONAL custom domain name reached from an instance as on AWS: a private hosted zone's alias to the name's
/// <c>d-…</c> regional name, which answers the region's execute-api address, reached by the public subnet's internet
/// gateway route, where the gateway's regional front end serves the mapped API with the name's certificate.
/// </summary>
public sealed class HostRunnerRegionalDomainTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AliasToARegionalCustomDomainName_InstanceGetsTheMappedApiWithTheNamesCertificate()
    {
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              {{PublicSubnet(37)}}
              Zone: { Type: AWS::Route53::HostedZone, Properties: { Name: corp.example, VPCs: [{ VPCId: !Ref Vpc, VPCRegion: !Ref "AWS::Region" }] } }
              Hello:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  Code: { ZipFile: "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"hello via \" + event[\"requestContext\"][\"domainName\"]}\n" }
              {{RegionalApiOfHello("regional")}}
              Certificate: { Type: AWS::CertificateManager::Certificate, Properties: { DomainName: api.corp.example, ValidationMethod: DNS } }
              Domain:
                Type: AWS::ApiGateway::DomainName
                Properties: { DomainName: api.corp.example, RegionalCertificateArn: !Ref Certificate, EndpointConfiguration: { Types: [REGIONAL] } }
              Mapping: { Type: AWS::ApiGateway::BasePathMapping, DependsOn: Deployment, Properties: { DomainName: !Ref Domain, RestApiId: !Ref Api, Stage: prod } }
              Record:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: api.corp.example
                  Type: A
                  AliasTarget: { DNSName: !GetAtt Domain.RegionalDomainName, HostedZoneId: !GetAtt Domain.RegionalHostedZoneId }
              App: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public } }
            """)));
        Assert.Equal("ready", events[^1].State);

        var resolved = await CloisterAsync("exec", "--from", "App", "--", "dig", "+short", "+time=5", "api.corp.example");
        var curl = await CloisterAsync("exec", "--from", "App", "--", "curl", "-sS", "-v", "-m", "20", "https://api.corp.example/");

        Assert.True(resolved.ExitCode == 0, resolved.Error);
        Assert.Equal("198.18.6.10", resolved.Output.Trim());
        Assert.True(curl.ExitCode == 0, curl.Error);
        Assert.Equal("hello via api.corp.example", curl.Output);
        Assert.Contains("subject: CN=api.corp.example", curl.Error, StringComparison.Ordinal);
        Assert.Contains("SSL certificate verify ok", curl.Error, StringComparison.Ordinal);
    }
}
