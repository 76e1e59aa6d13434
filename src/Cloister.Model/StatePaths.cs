namespace Cloister.Model;

/// <summary>
/// Where a sandbox keeps its state: <c>CLOISTER_HOME</c> when set, else <c>.cloister</c> under the
/// working directory. Every module takes its folders from here so the CLI and the running stack agree.
/// </summary>
/// <param name="Root">The state folder.</param>
public sealed record StatePaths(string Root)
{
    /// <summary>The folder name used under the working directory.</summary>
    public const string DefaultFolderName = ".cloister";

    /// <summary>The state folder for this process: <c>CLOISTER_HOME</c>, else <c>./.cloister</c>.</summary>
    public static StatePaths FromEnvironment(Func<string, string?>? getVariable = null, string? workingDirectory = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var home = getVariable("CLOISTER_HOME");
        var root = string.IsNullOrWhiteSpace(home)
            ? Path.Combine(workingDirectory ?? Directory.GetCurrentDirectory(), DefaultFolderName)
            : home;
        return new StatePaths(Path.GetFullPath(root));
    }

    /// <summary>The sandbox CA: its key, certificate and the bundle processes trust.</summary>
    public string CertificateAuthority => Path.Combine(Root, "ca");

    /// <summary>
    /// DynamoDB-compatible table data: one store (SQLite files) per account and region under it,
    /// <see cref="TablesOf(AccountContext)"/>, as DynamoDB tables are regional.
    /// </summary>
    public string Tables => Path.Combine(Root, "tables");

    /// <summary>The table store of <paramref name="account"/>'s region: <c>tables/{accountId}/{region}</c>.</summary>
    public string TablesOf(AccountContext account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Path.Combine(Tables, account.AccountId, account.Region);
    }

    /// <summary>Function code unpacked or built for execution environments.</summary>
    public string Functions => Path.Combine(Root, "functions");

    /// <summary>Execution environments' temporary folders (each environment's <c>TMPDIR</c>, removed with it).</summary>
    public string FunctionTemporaryFolders => Path.Combine(Functions, "tmp");

    /// <summary>Log files, one folder per kind.</summary>
    public string Logs => Path.Combine(Root, "logs");

    /// <summary>Route 53 Resolver query logs: JSON lines, one file per query logging configuration.</summary>
    public string DnsLogs => Path.Combine(Logs, "dns");

    /// <summary>API Gateway access logs: one file per API and stage, <c>{apiId}_{stage}.log</c>.</summary>
    public string AccessLogs => Path.Combine(Logs, "access");

    /// <summary>
    /// API Gateway execution logs (a stage's MethodSettings <c>LoggingLevel</c> ERROR or INFO): one file per API and stage,
    /// <c>{apiId}_{stage}.log</c>, JSON lines in the shape of <see cref="FunctionLogs"/>' (<c>{"timestamp","logStreamName","message"}</c>).
    /// </summary>
    public string ExecutionLogs => Path.Combine(Logs, "execution");

    /// <summary>Lambda function logs: one file per function, <c>{functionName}.log</c>.</summary>
    public string FunctionLogs => Path.Combine(Logs, "functions");

    /// <summary>The running stack's description (sandbox, hosts, addresses) written by <c>cloister up</c>.</summary>
    public string Runtime => Path.Combine(Root, "runtime");

    /// <summary>The Unix socket the CLI uses to talk to the running stack.</summary>
    public string ControlSocket => Path.Combine(Root, "control.sock");
}
