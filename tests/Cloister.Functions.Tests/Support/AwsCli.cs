using System.Diagnostics;
using Cloister.Tests.Shared;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// The AWS CLI v2 (<c>/usr/bin/aws</c>; a v1 may come first on PATH) run as a user runs it against an endpoint, with
/// the given credentials and nothing read from the machine's own configuration.
/// </summary>
/// <param name="Home">A folder of the test's own for the CLI's <c>HOME</c>.</param>
/// <param name="Region">The region it signs for.</param>
internal sealed record AwsCli(string Home, string Region)
{
    private const string Path = "/usr/bin/aws";

    /// <summary>A PEM bundle the CLI trusts for HTTPS (its <c>AWS_CA_BUNDLE</c>); the system's when null.</summary>
    public string? CaBundle { get; init; }

    /// <summary><c>aws {arguments}</c> signed with <paramref name="keyId"/> and <paramref name="secret"/>: its exit code, output and error.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string keyId, string secret, params string[] arguments)
    {
        using var process = Start(keyId, secret, arguments);
        return await ProcessCompletion.FinishAsync(process, TimeSpan.FromSeconds(60), "aws " + string.Join(' ', arguments.Take(2)));
    }

    /// <summary>Starts <c>aws {arguments}</c> (output and error redirected) for a command that does not end by itself, such as <c>aws logs tail --follow</c>.</summary>
    public Process Start(string keyId, string secret, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Home;
        start.Environment["AWS_ACCESS_KEY_ID"] = keyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        start.Environment["AWS_SESSION_TOKEN"] = "session-token";
        start.Environment["AWS_DEFAULT_REGION"] = Region;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = string.Empty;
        if (CaBundle is not null)
        {
            start.Environment["AWS_CA_BUNDLE"] = CaBundle;
        }

        return Process.Start(start)!;
    }
}
