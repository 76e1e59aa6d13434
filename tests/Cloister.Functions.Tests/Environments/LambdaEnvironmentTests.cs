using System.Collections.Immutable;
using Cloister.Functions.Environments;
using Cloister.Functions.Runtimes;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests.Environments;

/// <summary>
/// The variables a function's process gets: Lambda's reserved ones cannot be set by the function; the unreserved ones
/// (configuration-envvars-runtime: "can be extended in your function configuration") are Lambda's defaults only when the
/// function does not set them.
/// </summary>
public sealed class LambdaEnvironmentTests
{
    private static readonly FunctionsOptions Options = new()
    {
        State = new StatePaths(Path.Combine(Path.GetTempPath(), "cloister-env-tests")),
        Account = new AccountContext("123456789012", "eu-central-1"),
    };

    [Theory]
    [InlineData("nodejs20.x")]
    [InlineData("python3.12")]
    [InlineData("provided.al2023")]
    public void Build_FunctionSetsUnreservedVariables_KeepsTheFunctionsValues(string runtime)
    {
        var own = ImmutableDictionary<string, string>.Empty
            .Add("TZ", "Europe/Zurich")
            .Add("LANG", "de_CH.UTF-8")
            .Add("PATH", "/var/task/bin:/usr/bin")
            .Add("LD_LIBRARY_PATH", "/var/task/native")
            .Add("NODE_PATH", "/var/task/modules")
            .Add("PYTHONPATH", "/var/task/vendor");

        var env = Build(runtime, own);

        foreach (var (name, value) in own)
        {
            Assert.Equal(value, env[name]);
        }
    }

    [Fact]
    public void Build_FunctionSetsNothing_GetsLambdasDefaults()
    {
        var env = Build("nodejs20.x", ImmutableDictionary<string, string>.Empty);

        Assert.Equal(":UTC", env["TZ"]);
        Assert.Equal("en_US.UTF-8", env["LANG"]);
        Assert.Contains("/usr/bin", env["PATH"], StringComparison.Ordinal);
        Assert.EndsWith(":/opt/lib", env["LD_LIBRARY_PATH"], StringComparison.Ordinal);
        Assert.Contains("/opt/nodejs/node_modules", env["NODE_PATH"], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FunctionSetsReservedVariables_LambdasValuesWin()
    {
        var own = ImmutableDictionary<string, string>.Empty
            .Add("AWS_REGION", "us-east-1")
            .Add("AWS_DEFAULT_REGION", "us-east-1")
            .Add("AWS_LAMBDA_FUNCTION_NAME", "other")
            .Add("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1")
            .Add("AWS_EXECUTION_ENV", "mine")
            .Add("_HANDLER", "other.handler")
            .Add("LAMBDA_TASK_ROOT", "/elsewhere")
            .Add("AWS_ACCESS_KEY_ID", "AKIAOTHER");

        var env = Build("nodejs20.x", own);

        Assert.Equal("eu-central-1", env["AWS_REGION"]);
        Assert.Equal("eu-central-1", env["AWS_DEFAULT_REGION"]);
        Assert.Equal("fn", env["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("128", env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("AWS_Lambda_nodejs20.x", env["AWS_EXECUTION_ENV"]);
        Assert.Equal("app.handler", env["_HANDLER"]);
        Assert.Equal("/var/task", env["LAMBDA_TASK_ROOT"]);
        Assert.Equal(SandboxCredentials.Default.AccessKeyId, env["AWS_ACCESS_KEY_ID"]);
    }

    private static ImmutableDictionary<string, string> Build(string runtime, ImmutableDictionary<string, string> own)
    {
        var function = new LambdaFunction("Fn", "fn", runtime, "app.handler", "/var/task", null, 128, 3, own, null, null);
        var runtimes = new RuntimeCatalog(Options);
        return LambdaEnvironment.Build(function, Options, runtimes, "/var/task", runtimes.CommandFor(runtime, "/var/task"), "$LATEST");
    }
}
