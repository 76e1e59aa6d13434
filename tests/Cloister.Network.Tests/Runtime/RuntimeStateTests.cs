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

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, RuntimeState.Json);

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
