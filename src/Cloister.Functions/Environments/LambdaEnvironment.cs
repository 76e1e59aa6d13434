using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Functions.Runtimes;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Environments;

/// <summary>
/// The variables Lambda gives a function's process, in three layers: Lambda's defaults for the unreserved variables,
/// the function's own variables over them, and Lambda's reserved variables over everything, as Lambda refuses to let a
/// function set those (configuration-envvars-runtime).
/// </summary>
internal static class LambdaEnvironment
{
    /// <summary>
    /// Variables Lambda sets only as defaults: AWS lists <c>LANG</c>, <c>PATH</c>, <c>LD_LIBRARY_PATH</c>,
    /// <c>NODE_PATH</c> and <c>PYTHONPATH</c> as unreserved ("can be extended in your function configuration"). <c>TZ</c>
    /// is in AWS's reserved list, but functions commonly set it to choose their time zone, so a function's own
    /// <c>TZ</c> stands here too.
    /// </summary>
    private static readonly FrozenSet<string> Unreserved =
        FrozenSet.Create(StringComparer.Ordinal, "LANG", "PATH", "LD_LIBRARY_PATH", "NODE_PATH", "PYTHONPATH", "TZ");

    /// <summary><paramref name="environment"/> with <paramref name="credentials"/> as the execution role's (<c>AWS_ACCESS_KEY_ID</c>...).</summary>
    public static ImmutableDictionary<string, string> WithCredentials(ImmutableDictionary<string, string> environment, SandboxCredentials credentials)
    {
        var env = environment.ToBuilder();
        SetCredentials(env, credentials);
        return env.ToImmutable();
    }

    private static void SetCredentials(ImmutableDictionary<string, string>.Builder env, SandboxCredentials credentials)
    {
        env["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
        env["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
        env["AWS_SESSION_TOKEN"] = credentials.SessionToken;
    }

    public static ImmutableDictionary<string, string> Build(
        LambdaFunction function,
        FunctionsOptions options,
        RuntimeCatalog runtimes,
        string taskRoot,
        LaunchCommand command,
        string version)
    {
        var region = options.Account.Region;
        var env = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        env["PATH"] = runtimes.PathFor(function.Runtime);
        env["LANG"] = "en_US.UTF-8";
        env["TZ"] = ":UTC";
        env["LD_LIBRARY_PATH"] = $"{taskRoot}:{taskRoot}/lib:/opt/lib";
        foreach (var (name, value) in command.Environment.Where(v => Unreserved.Contains(v.Key)))
        {
            env[name] = value;
        }

        foreach (var (name, value) in function.Environment)
        {
            env[name] = value;
        }

        env["AWS_REGION"] = region;
        env["AWS_DEFAULT_REGION"] = region;
        env["AWS_LAMBDA_FUNCTION_NAME"] = function.FunctionName;
        env["AWS_LAMBDA_FUNCTION_VERSION"] = version;
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = function.MemorySize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + function.FunctionName;
        env["LAMBDA_TASK_ROOT"] = taskRoot;
        env["LAMBDA_RUNTIME_DIR"] = runtimes.RuntimeDirectory;
        env["_HANDLER"] = function.Handler ?? string.Empty;
        SetCredentials(env, options.Credentials(function));
        if (options.CaBundlePath is { } bundle)
        {
            env["SSL_CERT_FILE"] = bundle;
            env["NODE_EXTRA_CA_CERTS"] = bundle;
            env["AWS_CA_BUNDLE"] = bundle;
            env["REQUESTS_CA_BUNDLE"] = bundle;
        }

        foreach (var (name, value) in command.Environment.Where(v => !Unreserved.Contains(v.Key)))
        {
            env[name] = value;
        }

        return env.ToImmutable();
    }
}
