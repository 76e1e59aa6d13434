using System.Collections.Immutable;
using Cloister.Functions.Runtimes;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions.Environments;

/// <summary>A deployed function, resolved: its code folder, ARN, how to start it and the environment it gets.</summary>
/// <param name="Function">The model.</param>
/// <param name="Arn">Its ARN.</param>
/// <param name="TaskRoot">Its code folder (<c>LAMBDA_TASK_ROOT</c>).</param>
/// <param name="Command">How its runtime starts.</param>
/// <param name="Environment">Everything but <c>AWS_LAMBDA_RUNTIME_API</c>, the log stream, <c>AWS_LAMBDA_INITIALIZATION_TYPE</c> and <c>TMPDIR</c>, which are the environment's own.</param>
/// <param name="TemporaryRoot">Where each environment gets its own temporary folder (Lambda's per-environment <c>/tmp</c>).</param>
/// <param name="Version">The version these environments run: <c>$LATEST</c>, or a published version's number.</param>
internal sealed record FunctionDefinition(
    LambdaFunction Function,
    string Arn,
    string TaskRoot,
    LaunchCommand Command,
    ImmutableDictionary<string, string> Environment,
    string TemporaryRoot,
    string Version = FunctionDefinition.Latest)
{
    /// <summary>The unpublished version, which an unqualified invocation runs.</summary>
    public const string Latest = "$LATEST";

    /// <summary>The folder of its layers' merged files, which its environments see as <c>/opt</c>; null without layers.</summary>
    public string? LayerRoot { get; init; }

    /// <summary>
    /// Issues new credentials of the function's execution role for an environment being initialized (its
    /// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>): each init gets its own, as on
    /// Lambda, so an environment started hours after the deploy does not get credentials that have since expired. Null:
    /// those of <see cref="Environment"/>.
    /// </summary>
    public Func<SandboxCredentials>? Credentials { get; init; }

    public string Name => Function.FunctionName;

    public TimeSpan Timeout => TimeSpan.FromSeconds(Function.TimeoutSeconds);
}
