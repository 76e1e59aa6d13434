using System.Text.Json;

namespace Cloister.Functions.Tests;

/// <summary>dotnet8: Cloister's .NET host loads the test function's assembly as a class-library handler.</summary>
public sealed class DotnetRuntimeTests(ServiceFixture fixture) : RuntimeTests(fixture)
{
    protected override string Runtime => "dotnet8";

    protected override string Handler =>
        "Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::HandleAsync";

    protected override string CodePath => ServiceFixture.TestFunctionDirectory;

    protected override string RecordHandler =>
        "Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::Record";

    protected override string ThrownErrorType => "InvalidOperationException";

    private const string DescribeContextHandler =
        "Cloister.Functions.TestFunction::Cloister.Functions.TestFunction.DotnetHandlers::DescribeContext";

    [Fact]
    public async Task Invoke_LambdaLoggerThroughContextInterface_WritesLogLine()
    {
        var function = await DeployAsync();

        var result = await Fixture.InvokeAsync(function, """{"action":"log"}""");

        Assert.True(result.Succeeded);
        var log = await Fixture.LogMessagesAsync(function, m => m.Any(l => l.StartsWith("REPORT", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.EndsWith($"\t{result.RequestId}\tinfo\tlogger says hi, {function} has 256 MB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_ClientContextAndCognitoIdentity_HandlerSeesThemThroughAmazonInterfaces()
    {
        var function = await Fixture.DeployAsync(Runtime, DescribeContextHandler, CodePath);
        var context = new InvocationContext(
            """
            {"client":{"installation_id":"inst-1","app_title":"Claims","app_version_name":"1.2","app_version_code":"12","app_package_name":"com.example.claims"},
             "custom":{"tenant":"acme","count":3},"env":{"platform":"Android","locale":"fr_FR"}}
            """,
            """{"cognitoIdentityId":"us-east-1:1234","cognitoIdentityPoolId":"us-east-1:pool"}""");

        var result = await Fixture.Service.InvokeAsync(function, "{}"u8.ToArray(), InvocationType.RequestResponse, context);

        var seen = ServiceFixture.Json(result);
        var client = seen.GetProperty("clientContext");
        var application = client.GetProperty("client");
        Assert.Equal("inst-1", application.GetProperty("installationId").GetString());
        Assert.Equal("Claims", application.GetProperty("appTitle").GetString());
        Assert.Equal("1.2", application.GetProperty("appVersionName").GetString());
        Assert.Equal("12", application.GetProperty("appVersionCode").GetString());
        Assert.Equal("com.example.claims", application.GetProperty("appPackageName").GetString());
        Assert.Equal("acme", client.GetProperty("custom").GetProperty("tenant").GetString());
        // Lambda's .NET runtime hands a non-string value over as its JSON text.
        Assert.Equal("3", client.GetProperty("custom").GetProperty("count").GetString());
        Assert.Equal("Android", client.GetProperty("environment").GetProperty("platform").GetString());
        Assert.Equal("fr_FR", client.GetProperty("environment").GetProperty("locale").GetString());
        Assert.Equal("us-east-1:1234", seen.GetProperty("identity").GetProperty("identityId").GetString());
        Assert.Equal("us-east-1:pool", seen.GetProperty("identity").GetProperty("identityPoolId").GetString());
    }

    [Fact]
    public async Task Invoke_NeitherClientContextNorIdentity_HandlerSeesThemEmptyAsLambdasRuntimeGivesThem()
    {
        // Amazon.Lambda.RuntimeSupport builds both from an absent header too: objects whose members are null.
        var function = await Fixture.DeployAsync(Runtime, DescribeContextHandler, CodePath);

        var result = await Fixture.InvokeAsync(function, "{}");

        var seen = ServiceFixture.Json(result);
        var client = seen.GetProperty("clientContext");
        Assert.Equal(JsonValueKind.Null, client.GetProperty("client").ValueKind);
        Assert.Equal(JsonValueKind.Null, client.GetProperty("custom").ValueKind);
        Assert.Equal(JsonValueKind.Null, client.GetProperty("environment").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("identity").GetProperty("identityId").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("identity").GetProperty("identityPoolId").ValueKind);
    }

    [Fact]
    public async Task Invoke_UnknownType_ReportsInitError()
    {
        var function = await Fixture.DeployAsync(Runtime, "Cloister.Functions.TestFunction::Nope.Type::Handle", CodePath);

        var result = await Fixture.InvokeAsync(function, "{}");

        var error = ServiceFixture.Json(result);
        Assert.Equal("LambdaValidationException", error.GetProperty("errorType").GetString());
        Assert.Contains("Nope.Type", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }
}
