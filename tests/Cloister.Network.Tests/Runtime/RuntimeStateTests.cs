using Cloister.Network.Reachability;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;

namespace Cloister.Network.Tests.Runtime;

public sealed class RuntimeStateTests
{
    [Fact]
    public void Write_DescriptionAndModel_RoundTrip()
    {
        var model = MatrixTopology.Build();
        var plan = PlanBuilder.Build(model, "clt-unit-");
        var folder = Path.Combine(Path.GetTempPath(), "cloister-state-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SandboxOptions("clt-unit-", folder);
        var description = new SandboxDescription(1, "clt-unit-", false, 42, "eu-central-1", null, plan.SandboxNamespace, plan.RegionNamespace, plan.Hosts, [], Path.Combine(folder, "hosts"));
        try
        {
            RuntimeState.Write(options, description, model);

            var read = RuntimeState.ReadDescription(folder)!;
            Assert.Equal(Json(description), Json(read));
            Assert.Equal("i-a1", read.FindHost("a1")!.Id);
            var readModel = RuntimeState.ReadModel(folder)!;
            Assert.Equal(Json(model), Json(readModel));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ReadModel_ListenersWithForwardRedirectAndFixedResponseActions_RoundTrip()
    {
        // cloister path reads the model back after up: a listener's action is abstract, so it must carry its kind.
        var model = LoadBalancing.BalancerTopology.Build();
        var folder = Path.Combine(Path.GetTempPath(), "cloister-state-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SandboxOptions("clt-unit-", folder);
        var plan = PlanBuilder.Build(model, "clt-unit-");
        var description = new SandboxDescription(1, "clt-unit-", false, 42, "eu-central-1", null, plan.SandboxNamespace, plan.RegionNamespace, plan.Hosts, [], Path.Combine(folder, "hosts"));
        try
        {
            RuntimeState.Write(options, description, model);

            var readModel = RuntimeState.ReadModel(folder)!;
            Assert.Equal(model.Listeners.Select(l => l.DefaultAction), readModel.Listeners.Select(l => l.DefaultAction), ActionComparer.Instance);
            Assert.Equal(model.ListenerRules.Select(r => r.Action), readModel.ListenerRules.Select(r => r.Action), ActionComparer.Instance);
            Assert.Contains(readModel.ListenerRules, r => r.Action is Model.LoadBalancing.FixedResponseAction { StatusCode: 503 });
            Assert.Contains(readModel.Listeners, l => l.DefaultAction is Model.LoadBalancing.RedirectAction { Protocol: "HTTPS" });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ReadModel_InstanceMetadataOptionsAndTags_RoundTrip()
    {
        var built = MatrixTopology.Build();
        var options = new Model.Network.InstanceMetadataOptions(HttpEndpointEnabled: false, HttpTokensRequired: false, HttpPutResponseHopLimit: 9, InstanceMetadataTags: true);
        var model = built with { Instances = [built.Instances[0] with { MetadataOptions = options, Tags = [new("Name", "a1"), new("team", "web")] }] };
        var folder = Path.Combine(Path.GetTempPath(), "cloister-state-" + Guid.NewGuid().ToString("N")[..8]);
        var plan = PlanBuilder.Build(model, "clt-unit-");
        var description = new SandboxDescription(1, "clt-unit-", false, 42, "eu-central-1", null, plan.SandboxNamespace, plan.RegionNamespace, plan.Hosts, [], Path.Combine(folder, "hosts"));
        try
        {
            RuntimeState.Write(new SandboxOptions("clt-unit-", folder), description, model);

            var instance = Assert.Single(RuntimeState.ReadModel(folder)!.Instances);
            Assert.Equal(options, instance.MetadataOptions);
            Assert.Equal(["Name=a1", "team=web"], instance.Tags.Select(t => t.Key + "=" + t.Value));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, RuntimeState.Json);

    /// <summary>Actions compared by their JSON, since their arrays compare by reference.</summary>
    private sealed class ActionComparer : IEqualityComparer<Model.LoadBalancing.ListenerAction>
    {
        public static readonly ActionComparer Instance = new();

        public bool Equals(Model.LoadBalancing.ListenerAction? x, Model.LoadBalancing.ListenerAction? y) =>
            x?.GetType() == y?.GetType() && Json(x) == Json(y);

        public int GetHashCode(Model.LoadBalancing.ListenerAction obj) => obj.GetType().GetHashCode();
    }

    [Theory]
    [InlineData("a1:8080", "a1", 8080)]
    [InlineData("10.0.0.1", "10.0.0.1", null)]
    [InlineData("api.example.com:443", "api.example.com", 443)]
    public void TryParseTarget_ValidTargets_SplitsThePort(string text, string target, int? port)
    {
        Assert.True(PathReport.TryParseTarget(text, out var parsedTarget, out var parsedPort));
        Assert.Equal(target, parsedTarget);
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("a1:0")]
    [InlineData("a1:65536")]
    [InlineData("a1:http")]
    [InlineData(":80")]
    [InlineData("")]
    public void TryParseTarget_BadTargets_ReturnsFalse(string text)
    {
        Assert.False(PathReport.TryParseTarget(text, out _, out _));
    }
}
