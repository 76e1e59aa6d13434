using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Cloister.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister serve dynamodb [--port 8000] [--data DIR] [--credentials KEY:SECRET ...]</c>: the table service
/// alone, like DynamoDB Local. Without <c>--credentials</c> any credentials are accepted, as DynamoDB Local
/// does; with it every request must carry a valid SigV4 signature made with one of the given key pairs.
/// </summary>
internal static class ServeCommand
{
    /// <summary>Creates the verb and its <c>dynamodb</c> subcommand.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var data = new Option<string?>("--data") { Description = "Folder for the table data (default: the state folder's tables/)." };
        var credentials = new Option<string[]>("--credentials")
        {
            Description = "Require SigV4 signatures made with this access key id and secret access key, written KEY:SECRET (repeat for several pairs). Default: any credentials are accepted.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        credentials.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!TryParseCredentials(token.Value, out _, out _))
                {
                    // The value is not echoed: it may hold a secret.
                    result.AddError("--credentials takes KEY:SECRET: an access key id, a colon, a secret access key, neither empty.");
                }
            }
        });
        var dynamodb = new Command("dynamodb", "Serve the DynamoDB-compatible table service on loopback; state persists in --data.") { port, data, credentials };
        dynamodb.SetAction(async (parse, cancellation) =>
        {
            var directory = parse.GetValue(data) ?? StatePaths.FromEnvironment().Tables;
            var options = new TablesServerOptions
            {
                DataDirectory = Path.GetFullPath(directory),
                HttpEndPoint = new IPEndPoint(IPAddress.Loopback, parse.GetValue(port)),
                Account = AccountContext.FromEnvironment(),
                SigningCredentials = SigningCredentials(parse.GetValue(credentials) ?? []),
            };
            await using var server = await TablesServer.StartAsync(options, cancellation).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            var signing = options.SigningCredentials is { } keys ? $"SigV4 required for {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}" : "any credentials accepted";
            await output.WriteLineAsync($"cloister: DynamoDB-compatible service on {string.Join(", ", server.Urls)} (data: {options.DataDirectory}; {signing})").ConfigureAwait(false);
            await output.FlushAsync(cancellation).ConfigureAwait(false);
            // SIGINT (Ctrl-C) and SIGTERM stop the service. The command line's own token did not see them: the
            // embedded Kestrel host handled them for itself, and the process went on serving.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stopping.Cancel();
            }

            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        var serve = new Command("serve", "Run one Cloister service on its own.");
        serve.Subcommands.Add(dynamodb);
        return serve;
    }

    /// <summary>Key id to secret from the <c>KEY:SECRET</c> values; null (accept any credentials) when there are none. A repeated key id keeps its last secret.</summary>
    private static Dictionary<string, string>? SigningCredentials(string[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            _ = TryParseCredentials(value, out var keyId, out var secret);
            pairs[keyId] = secret;
        }

        return pairs;
    }

    /// <summary>Splits at the first colon (access key ids have none); both halves must be non-empty.</summary>
    private static bool TryParseCredentials(string value, out string keyId, out string secret)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        keyId = colon > 0 ? value[..colon] : "";
        secret = colon > 0 ? value[(colon + 1)..] : "";
        return keyId.Length > 0 && secret.Length > 0;
    }
}
