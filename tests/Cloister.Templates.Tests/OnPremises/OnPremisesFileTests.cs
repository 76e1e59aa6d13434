namespace Cloister.Templates.Tests.OnPremises;

public class OnPremisesFileTests
{
    private static TemplateLoadResult LoadWithAws(string onPremises)
    {
        var aws = new TemplateFile(TestTemplates.DataPath("blog-onprem", "template.yaml")) { StackName = "blog" };
        return TemplateLoader.Load([aws, new TemplateFile(TestTemplates.DataPath("blog-onprem", "onprem.yaml")) { Text = onPremises }], TestTemplates.Options());
    }

    [Fact]
    public void Load_OnPremisesFile_MapsNetworkHostsAndForwarders()
    {
        var aws = new TemplateFile(TestTemplates.DataPath("blog-onprem", "template.yaml")) { StackName = "blog" };
        var onPremises = new TemplateFile(TestTemplates.DataPath("blog-onprem", "onprem.yaml"));
        var result = TemplateLoader.Load([aws, onPremises], TestTemplates.Options());
        Assert.True(result.IsValid, result.Validation.ToString());
        var network = Assert.Single(result.Model.OnPremisesNetworks);
        var resolver = Assert.Single(result.Model.ResolverEndpoints);
        Assert.Equal("172.31.0.0/16", network.CidrBlock);
        Assert.Equal(result.Model.Vpcs.Single().Id, Assert.Single(network.LinkedVpcIds));
        Assert.Equal("172.31.0.2", network.DnsServerAddress);
        var forwarder = Assert.Single(network.DnsForwarders);
        Assert.Equal("execute-api.eu-central-1.amazonaws.com", forwarder.Domain);
        Assert.Equal(resolver.IpAddresses.Select(a => a.Ip), forwarder.TargetIps);
        var host = Assert.Single(network.Hosts);
        Assert.Equal(("Client", "172.31.6.137"), (host.LogicalId, host.IpAddress));
        Assert.Equal(["blog", "onprem"], result.Stacks.Select(s => s.StackName));
        Assert.Equal("172.31.6.137", result.Stacks[1].Outputs.Single().OutputValue);
    }

    private static string BrokenNetwork(string forwarderTarget) => $$"""
        Resources:
          Corporate:
            Type: Cloister::OnPremises::Network
            Properties:
              CidrBlock: 10.0.0.0/8
              LinkedVpcIds: [!GetStackAtt [blog, Vpc, Ref], vpc-00000000000000000]
              DnsServer: { IpAddress: 192.168.0.2, Forwarders: [{ DomainName: example.com, TargetIps: [{{forwarderTarget}}] }] }
          Lost:
            Type: Cloister::OnPremises::Host
            Properties: { NetworkId: !Ref Corporate, IpAddress: 172.16.0.5 }
        """;

    [Fact]
    public void Load_OnPremisesFile_UnknownStackInGetStackAtt_IsProblem()
    {
        var result = LoadWithAws(BrokenNetwork("!GetStackAtt [nostack, X, Y]"));
        var problem = Assert.Single(result.Validation.Problems);
        Assert.Equal(("Corporate", "Properties.DnsServer.Forwarders[0].TargetIps[0]"), (problem.Resource, problem.Property));
        Assert.Contains("no stack 'nostack'", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("onprem.yaml", problem.Location!.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OnPremisesFile_NetworkChecksAfterEvaluation()
    {
        var result = LoadWithAws(BrokenNetwork("not-an-ip"));
        var problems = result.Validation.Problems;
        Assert.Contains(problems, p => p.Property == "Properties.LinkedVpcIds[0]" && p.Message.Contains("overlaps", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Property == "Properties.LinkedVpcIds[1]" && p.Message.Contains("is not a VPC", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Property == "Properties.DnsServer.IpAddress" && p.Message.Contains("not in the network's CIDR", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Property == "Properties.DnsServer.Forwarders[0].TargetIps[0]");
        Assert.Contains(problems, p => p.Resource == "Lost" && p.Property == "Properties.IpAddress");
        Assert.All(problems, p => Assert.EndsWith("onprem.yaml", p.Location!.File, StringComparison.Ordinal));
    }
}
