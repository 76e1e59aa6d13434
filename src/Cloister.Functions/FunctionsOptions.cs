using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Functions;

/// <summary>How Cloister runs functions. Every member has a default that matches Lambda where Lambda has one.</summary>
public sealed record FunctionsOptions
{
    /// <summary>Where logs and unpacked code go.</summary>
    public required StatePaths State { get; init; }

    /// <summary>The account and region functions run in (ARNs, <c>AWS_REGION</c>).</summary>
    public AccountContext Account { get; init; } = AccountContext.Default;

    /// <summary>The sandbox CA bundle; when set, functions get <c>SSL_CERT_FILE</c>, <c>NODE_EXTRA_CA_CERTS</c>,
    /// <c>AWS_CA_BUNDLE</c> and <c>REQUESTS_CA_BUNDLE</c> pointing at it.</summary>
    public string? CaBundlePath { get; init; }

    /// <summary>The credentials of a function's execution role session, which its environments receive
    /// (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>); the sandbox's default ones
    /// unless the host issues per-role credentials.</summary>
    public Func<LambdaFunction, SandboxCredentials> Credentials { get; init; } = static _ => SandboxCredentials.Default;

    /// <summary>Lambda's limit on the init phase: 10 seconds.</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many execution environments of one function version may initialize at once (the machine's cores by default);
    /// invocations beyond it wait for an idle environment or a free slot. The init timeout runs from the slot.
    /// </summary>
    public int ConcurrentInits { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The least time the init of a provisioned-concurrency environment may take: Lambda gives it this or the function's
    /// timeout, whichever is longer (130 s), instead of the on-demand init's 10 s.
    /// </summary>
    public TimeSpan ProvisionedInitTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Draws the uniform number in [0, 1) that picks the version of an invocation through a weighted alias: the
    /// additional version when it is below that version's weight. Shared; called from any thread.
    /// </summary>
    public Func<double> AliasRoutingSample { get; init; } = Random.Shared.NextDouble;

    /// <summary>How long an idle execution environment stays warm before it is reaped.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old (from its init) an execution environment may grow before it is retired when next idle, however often it
    /// is used. Lambda publishes no figure ("every few hours"); it must stay below the 12 hours an environment's
    /// execution-role credentials last.
    /// </summary>
    public TimeSpan MaximumLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How many invocations the functions without reserved concurrency may have in flight at once, all their
    /// versions together (Lambda's unreserved account concurrency). Lambda's account limit (1000) would swamp one
    /// machine, so Cloister caps it lower; reserved concurrency does not draw from it.</summary>
    public int UnreservedConcurrencyLimit { get; init; } = 32;

    /// <summary>
    /// Delays before the retries of an Event invocation the function failed (Lambda: two, after 1 and 2 minutes). A
    /// throttled one is retried regardless, until <see cref="MaximumEventAge"/>.
    /// </summary>
    public IReadOnlyList<TimeSpan> EventRetryDelays { get; init; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];

    /// <summary>How long an Event invocation may wait in the queue, retries included, before it is dropped (Lambda: 6 hours).</summary>
    public TimeSpan MaximumEventAge { get; init; } = TimeSpan.FromHours(6);

    /// <summary>The <c>node</c> executable; found on PATH when null.</summary>
    public string? NodePath { get; init; }

    /// <summary>The <c>python3</c> executable; found on PATH (and resolved through shims) when null.</summary>
    public string? PythonPath { get; init; }

    /// <summary>The <c>dotnet</c> executable; the one running Cloister when null.</summary>
    public string? DotnetPath { get; init; }

    /// <summary>Where the runtimes' bootstraps live (<c>LAMBDA_RUNTIME_DIR</c>); next to this assembly when null.</summary>
    public string? RuntimeDirectory { get; init; }
}
