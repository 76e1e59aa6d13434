using Cloister.Model.Dns;
using Cloister.Model.Network;
using Cloister.Templates.Iam;

namespace Cloister.Templates.Tests;

/// <summary>The repository's samples load as `cloister up` will load them: the AWS template, then its on-premises file.</summary>
public sealed class SamplesTests
{
    private static string Sample(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloister.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Path.Combine([directory.FullName, "samples", .. parts]);
    }

    private static TemplateLoadResult Load(string sample)
    {
        var result = TemplateLoader.Load(
            [new TemplateFile(Sample(sample, "template.yaml")), new TemplateFile(Sample(sample, "onprem.yaml"))],
            TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        return result;
    }

    /// <summary>Every sample's template.yaml (with its onprem.yaml when it has one): each property one AWS accepts.</summary>
    public static TheoryData<string> SampleNames()
    {
        var names = new TheoryData<string>();
        foreach (var template in Directory.GetFiles(Sample(), "template.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            names.Add(Path.GetRelativePath(Sample(), Path.GetDirectoryName(template)!));
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Load_EverySample_NoProblems(string sample)
    {
        var files = new List<TemplateFile> { new(Sample(sample, "template.yaml")) };
        if (File.Exists(Sample(sample, "onprem.yaml")))
        {
            files.Add(new TemplateFile(Sample(sample, "onprem.yaml")));
        }

        var result = TemplateLoader.Load(files, TestTemplates.Options());

        Assert.True(result.IsValid, result.Validation.ToString());
    }

    [Fact]
    public void Load_SeedArchitecture_ValidWithOutputsFunctionsPolicyAndOnPremises()
    {
        var result = Load("seed-architecture");
        var model = result.Model;

        var stack = Assert.Single(result.Stacks, s => s.StackName == "template");
        var outputs = stack.Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue, StringComparer.Ordinal);
        var api = Assert.Single(model.RestApis);
        var endpoint = Assert.Single(model.VpcEndpoints, e => e.ServiceShortName == "execute-api");
        Assert.Equal($"https://{api.Id}.execute-api.eu-central-1.amazonaws.com/dev/claim", outputs["ClaimUrl"]);
        Assert.Equal($"https://{api.Id}.execute-api.eu-central-1.amazonaws.com/dev/claim/", outputs["ClaimIdUrl"]);
        Assert.Equal(endpoint.Id, outputs["VpcEndpointId"]);
        Assert.Equal("10.0.1.10,10.0.2.10", outputs["InboundResolverIps"]);
        Assert.Equal($"{endpoint.Id}-{VpcEndpointDnsSuffix.Of(endpoint.Id)}.execute-api.eu-central-1.vpce.amazonaws.com", outputs["VpcEndpointDnsName"]);
        Assert.Contains("\"aws:SourceVpce\"", api.Policy, StringComparison.Ordinal);
        Assert.Contains(endpoint.Id, api.Policy, StringComparison.Ordinal);

        Assert.Equal(["createClaim", "deleteClaim", "getClaim", "listClaims", "updateClaim"], model.Functions.Select(f => f.FunctionName).Order(StringComparer.Ordinal));
        Assert.All(model.Functions, f => Assert.Equal("provided.al2023", f.Runtime));
        Assert.All(result.Code, c => Assert.True(Directory.Exists(c.Path), c.Path));
        Assert.Equal("claimsTable", Assert.Single(model.Tables).TableName);

        var rule = Assert.Single(model.ResolverRules);
        Assert.Equal("execute-api.eu-central-1.amazonaws.com", rule.DomainName.TrimEnd('.'));
        Assert.Equal(["10.0.1.10", "10.0.2.10"], rule.TargetIps.Select(t => t.Ip));

        var corporate = Assert.Single(model.OnPremisesNetworks);
        Assert.Equal("172.31.0.0/16", corporate.CidrBlock);
        Assert.Equal<string>([Assert.Single(model.Vpcs, v => v.LogicalId == "ApiVpc").Id], corporate.LinkedVpcIds);
        Assert.Equal<string>(["10.0.1.10", "10.0.2.10"], Assert.Single(corporate.DnsForwarders).TargetIps);
        var laptop = Assert.Single(corporate.Hosts);
        Assert.Equal(("Laptop", "172.31.6.137"), (laptop.LogicalId, laptop.IpAddress));
    }

    [Fact]
    public void Load_SeedArchitecture_RolesHoldTheirPoliciesAndFunctionsTheirRolesWithoutWarnings()
    {
        var result = Load("seed-architecture");

        Assert.Empty(result.Warnings);
        var instanceRole = Assert.Single(result.Model.Roles, r => r.LogicalId == "ApiVpcInstanceRole");
        Assert.Equal(
            [("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", AwsManagedPolicies.Find("AmazonSSMManagedInstanceCore", "aws")),
             ("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", AwsManagedPolicies.Find("AmazonDynamoDBReadOnlyAccess", "aws"))],
            instanceRole.Policies.Select(p => (p.Name, (string?)p.Document)));
        var functionRole = Assert.Single(result.Model.Roles, r => r.LogicalId == "CreateClaimFunctionRole");
        Assert.Equal(
            ["CreateClaimFunctionRolePolicy0", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
            functionRole.Policies.Select(p => p.Name));
        Assert.Contains("arn:aws:dynamodb:eu-central-1:123456789012:table/claimsTable", functionRole.Policies[0].Document, StringComparison.Ordinal);
        Assert.All(result.Model.Functions, f => Assert.Equal(Assert.Single(result.Model.Roles, r => r.LogicalId == f.LogicalId + "Role").Arn, f.RoleArn));
    }

    [Fact]
    public void Load_OnPremHello_SamPolicyFromWhitelistAndForwarderToAssignedInboundAddresses()
    {
        var model = Load("onprem-hello").Model;

        var api = Assert.Single(model.RestApis);
        var endpoint = Assert.Single(model.VpcEndpoints, e => e.ServiceShortName == "execute-api");
        Assert.Equal(Cloister.Model.Api.EndpointType.Private, api.EndpointType);
        Assert.Contains("StringNotEquals", api.Policy, StringComparison.Ordinal);
        Assert.Contains(endpoint.Id, api.Policy, StringComparison.Ordinal);
        var function = Assert.Single(model.Functions);
        Assert.Equal("python3.12", function.Runtime);
        Assert.Equal(("live", "1"), (Assert.Single(function.Aliases).Name, Assert.Single(function.Versions).Version));
        Assert.Equal("live", Assert.Single(function.Permissions).Qualifier);

        var group = Assert.Single(model.SecurityGroups, g => g.Id == Assert.Single(endpoint.SecurityGroupIds));
        var prefixList = Assert.Single(model.PrefixLists, p => p.LogicalId == "OnPremisesPrefixList");
        Assert.Contains(group.Ingress, r => r.FromPort == 443 && r.PrefixListId == prefixList.Id);

        var inbound = Assert.Single(model.ResolverEndpoints, e => e.Direction == ResolverDirection.Inbound);
        var assigned = inbound.IpAddresses.Select(a => a.Ip).ToArray();
        Assert.All(assigned, ip => Assert.StartsWith("10.0.", ip, StringComparison.Ordinal));
        var forwarder = Assert.Single(Assert.Single(model.OnPremisesNetworks).DnsForwarders);
        Assert.Equal<string?>(assigned, forwarder.TargetIps);
    }

    [Fact]
    public void Load_PrivateDnsAlb_TargetsAreTheEndpointsAddressesAndTheNameAliasesTheLoadBalancer()
    {
        var result = TemplateLoader.Load([new TemplateFile(Sample("private-dns-alb", "template.yaml"))], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        var model = result.Model;

        var endpoint = Assert.Single(model.VpcEndpoints);
        var group = Assert.Single(model.TargetGroups);
        Assert.Equal(endpoint.NetworkInterfaces.Select(n => n.PrivateIpAddress + ":443").Order(StringComparer.Ordinal), group.Targets.Order(StringComparer.Ordinal));
        Assert.Equal(("HTTPS", "/test/hello", "200,403"), (group.HealthCheck.Protocol, group.HealthCheck.Path, group.HealthCheck.Matcher));
        var record = Assert.Single(Assert.Single(model.HostedZones).Records);
        Assert.Equal(Assert.Single(model.LoadBalancers).DnsName, record.Alias?.DnsName, ignoreCase: true);
        Assert.Equal("api.example.com", Assert.Single(model.DomainNames).Name);
    }

    [Fact]
    public void Load_PrivateCustomDomain_EachVpcsZoneAliasesItsOwnEndpointsRegionalName()
    {
        var result = TemplateLoader.Load([new TemplateFile(Sample("private-custom-domain", "template.yaml"))], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        var model = result.Model;

        foreach (var endpoint in model.VpcEndpoints)
        {
            var zone = Assert.Single(model.HostedZones, z => z.VpcIds.Contains(endpoint.VpcId));
            Assert.Equal($"{endpoint.Id}-{VpcEndpointDnsSuffix.Of(endpoint.Id)}.execute-api.eu-central-1.vpce.amazonaws.com", Assert.Single(zone.Records).Alias?.DnsName);
        }

        var domain = Assert.Single(model.PrivateDomainNames);
        var association = Assert.Single(model.DomainNameAccessAssociations);
        Assert.Equal(domain.Id, association.DomainNameArn);
        Assert.Equal(Assert.Single(model.VpcEndpoints, e => e.LogicalId == "ConsumerEndpoint").Id, association.Source);
    }

    [Fact]
    public void Load_SeedArchitectureWithOtherVpc_ValidAsTheScenarioDeploysIt()
    {
        var result = TemplateLoader.Load(
            [new TemplateFile(Sample("seed-architecture", "template.yaml")), new TemplateFile(Sample("seed-architecture", "onprem.yaml")), new TemplateFile(Sample("seed-architecture", "other-vpc.yaml"))],
            TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Equal(3, result.Stacks.Length);
    }

    [Fact]
    public void Load_VpcLinkNlb_ValidWithAKeyGiven()
    {
        var result = TemplateLoader.Load(
            [new TemplateFile(Sample("vpc-link-nlb", "template.yaml")) { Parameters = new Dictionary<string, string> { ["ApiKeyValue"] = "sample-key-0123456789abcdef" } }],
            TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        Assert.Single(result.Model.RestApis);
    }

    [Fact]
    public void Load_DdbInterfaceEndpoint_ValidAndEveryRoleTrustsItsInstances()
    {
        var result = TemplateLoader.Load([new TemplateFile(Sample("ddb-interface-endpoint", "template.yaml"))], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());

        Assert.NotEmpty(result.Model.Instances);
        Assert.All(result.Model.Roles, r => Assert.Contains("ec2.amazonaws.com", r.AssumeRolePolicy, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("does not let", StringComparison.Ordinal));
    }
}
