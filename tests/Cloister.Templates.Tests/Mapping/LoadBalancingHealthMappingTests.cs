namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// A load balancer's idle timeout and client keepalive duration, a network load balancer listener's TCP idle timeout and
/// a target group's health check timeout, read into the model or refused as ELB refuses them.
/// </summary>
public sealed class LoadBalancingHealthMappingTests
{
    /// <summary>A VPC and two subnets in two zones, as a load balancer needs (Resources entries).</summary>
    internal const string Network = """
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.1.0.0/16 } }
          SubnetA: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: eu-central-1a } }
          SubnetB: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.1.2.0/24, AvailabilityZone: eu-central-1b } }
        """;

    [Fact]
    public void LoadBalancer_IdleTimeoutAttribute_IsReadElseElbsDefault()
    {
        var set = TestTemplates.LoadValid(Balancer("[{ Key: idle_timeout.timeout_seconds, Value: '7' }, { Key: deletion_protection.enabled, Value: 'false' }]")).Model;
        var unset = TestTemplates.LoadValid(Balancer(null)).Model;

        Assert.Equal(7, Assert.Single(set.LoadBalancers).IdleTimeoutSeconds);
        Assert.Equal(60, Assert.Single(unset.LoadBalancers).IdleTimeoutSeconds);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4001")]
    [InlineData("soon")]
    public void LoadBalancer_IdleTimeoutOutOfRange_IsReportedAtThePair(string value)
    {
        var result = TestTemplates.Load(Balancer($"[{{ Key: idle_timeout.timeout_seconds, Value: '{value}' }}]"));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Alb");
        Assert.Equal("Properties.LoadBalancerAttributes[0].Value", problem.Property);
        Assert.Contains($"from 1 to 4000 seconds, not '{value}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadBalancer_ClientKeepAliveAttribute_IsReadElseElbsDefault()
    {
        var set = TestTemplates.LoadValid(Balancer("[{ Key: client_keep_alive.seconds, Value: '600' }]")).Model;
        var unset = TestTemplates.LoadValid(Balancer(null)).Model;

        Assert.Equal(600, Assert.Single(set.LoadBalancers).ClientKeepAliveSeconds);
        Assert.Equal(3600, Assert.Single(unset.LoadBalancers).ClientKeepAliveSeconds);
    }

    [Theory]
    [InlineData("59")]
    [InlineData("604801")]
    [InlineData("an-hour")]
    public void LoadBalancer_ClientKeepAliveOutOfRange_IsReportedAtThePair(string value)
    {
        var result = TestTemplates.Load(Balancer($"[{{ Key: client_keep_alive.seconds, Value: '{value}' }}]"));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Alb");
        Assert.Equal("Properties.LoadBalancerAttributes[0].Value", problem.Property);
        Assert.Contains($"from 60 to 604800 seconds, not '{value}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listener_TcpIdleTimeoutAttribute_IsReadElseElbsDefault()
    {
        var set = TestTemplates.LoadValid(NetworkListener("TCP", "[{ Key: tcp.idle_timeout.seconds, Value: '500' }]")).Model;
        var unset = TestTemplates.LoadValid(NetworkListener("TCP", null)).Model;

        Assert.Equal(500, Assert.Single(set.Listeners).TcpIdleTimeoutSeconds);
        Assert.Equal(350, Assert.Single(unset.Listeners).TcpIdleTimeoutSeconds);
    }

    [Theory]
    [InlineData("TCP", "59", "from 60 to 6000 seconds, not '59'")]
    [InlineData("TCP", "6001", "from 60 to 6000 seconds, not '6001'")]
    [InlineData("TLS", "500", "only TCP listeners")]
    public void Listener_TcpIdleTimeoutOutOfRangeOrNotTcp_IsReportedAtThePair(string protocol, string value, string message)
    {
        var result = TestTemplates.Load(NetworkListener(protocol, $"[{{ Key: tcp.idle_timeout.seconds, Value: '{value}' }}]"));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Listener");
        Assert.Equal("Properties.ListenerAttributes[0].Value", problem.Property);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP", null, null)]
    [InlineData("HTTP", "3", 3)]
    [InlineData("TCP", "10", 10)]
    public void TargetGroup_HealthCheckTimeoutSeconds_IsReadElseLeftToElbsDefault(string protocol, string? timeout, int? expected)
    {
        var model = TestTemplates.LoadValid(Group(protocol, timeout is null ? string.Empty : $", HealthCheckTimeoutSeconds: {timeout}")).Model;

        Assert.Equal(expected, Assert.Single(model.TargetGroups).HealthCheck.TimeoutSeconds);
    }

    [Theory]
    [InlineData(", HealthCheckTimeoutSeconds: 1", "HealthCheckTimeoutSeconds", "from 2 to 120 seconds")]
    [InlineData(", HealthCheckTimeoutSeconds: 30, HealthCheckIntervalSeconds: 10", "HealthCheckTimeoutSeconds", "Health check interval must be greater than the timeout")]
    public void TargetGroup_BadHealthCheckTimeout_IsReported(string properties, string property, string message)
    {
        var result = TestTemplates.Load(Group("HTTP", properties));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Targets");
        Assert.Equal("Properties." + property, problem.Property);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP", ", HealthCheckIntervalSeconds: 4", "HealthCheckIntervalSeconds", "'4' is not a health check interval (from 5 to 300 seconds)")]
    [InlineData("TCP", ", HealthCheckIntervalSeconds: 301", "HealthCheckIntervalSeconds", "'301' is not a health check interval (from 5 to 300 seconds)")]
    [InlineData("HTTP", ", HealthyThresholdCount: 1", "HealthyThresholdCount", "'1' is not a threshold count (from 2 to 10)")]
    [InlineData("TCP", ", UnhealthyThresholdCount: 11", "UnhealthyThresholdCount", "'11' is not a threshold count (from 2 to 10)")]
    [InlineData("HTTP", ", Matcher: { HttpCode: '200-599' }", "Matcher.HttpCode", "from 200 to 499")]
    [InlineData("TCP", ", HealthCheckProtocol: HTTP, Matcher: { HttpCode: '100' }", "Matcher.HttpCode", "from 200 to 599")]
    [InlineData("HTTP", ", Matcher: { HttpCode: 'ok' }", "Matcher.HttpCode", "from 200 to 499")]
    [InlineData("HTTPS", ", HealthCheckProtocol: TCP", "HealthCheckProtocol", "The TCP protocol is not supported for health checks if the protocol of the target group is HTTP or HTTPS.")]
    public void TargetGroup_HealthCheckSettingElbRefuses_IsReported(string protocol, string properties, string property, string message)
    {
        var result = TestTemplates.Load(Group(protocol, properties));

        var problem = Assert.Single(result.Validation.Problems, p => p.Resource == "Targets");
        Assert.Equal("Properties." + property, problem.Property);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP", ", HealthCheckIntervalSeconds: 5, HealthyThresholdCount: 2, UnhealthyThresholdCount: 10, Matcher: { HttpCode: '200-299,302,499' }")]
    [InlineData("TCP", ", HealthCheckProtocol: HTTP, HealthCheckIntervalSeconds: 300, Matcher: { HttpCode: '200-599' }")]
    public void TargetGroup_HealthCheckSettingsAtElbsLimits_AreAccepted(string protocol, string properties) =>
        Assert.Empty(TestTemplates.Load(Group(protocol, properties)).Validation.Problems);

    private static string Balancer(string? attributes) =>
        "Resources:\n" + Network + "\n" + $$"""
              Alb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB]{{(attributes is null ? string.Empty : ", LoadBalancerAttributes: " + attributes)}} }
            """;

    private static string NetworkListener(string protocol, string? attributes) =>
        "Resources:\n" + Network + "\n" + $$"""
              Nlb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { Type: network, Scheme: internal, Subnets: [!Ref SubnetA, !Ref SubnetB] }
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Protocol: TCP, Port: 80, VpcId: !Ref Vpc, TargetType: ip }
              Certificate:
                Type: AWS::CertificateManager::Certificate
                Properties: { DomainName: api.example.com }
              Listener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: !Ref Nlb
                  Protocol: {{protocol}}
                  Port: 443
                  DefaultActions: [{ Type: forward, TargetGroupArn: !Ref Targets }]{{(protocol == "TLS" ? "\n      Certificates: [{ CertificateArn: !Ref Certificate }]" : string.Empty)}}{{(attributes is null ? string.Empty : "\n      ListenerAttributes: " + attributes)}}
            """;

    private static string Group(string protocol, string properties) =>
        "Resources:\n" + Network + "\n" + $$"""
              Targets:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: { Protocol: {{protocol}}, Port: 80, VpcId: !Ref Vpc, TargetType: ip{{properties}} }
            """;
}
