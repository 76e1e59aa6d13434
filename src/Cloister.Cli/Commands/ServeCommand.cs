using System.CommandLine;
using System.Net;
using System.Net.Sockets;
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
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value and (< IPEndPoint.MinPort or > IPEndPoint.MaxPort))
            {
                result.AddError($"--port {value}: a TCP port is 0 to 65535.");
            }
        });
        var data = new Option<string?>("--data") { Description = "Folder for the table data (default: tables/ACCOUNT/REGION/ in $CLOISTER_HOME, else ./.cloister: the tables a stack of CLOISTER_ACCOUNT_ID, AWS_REGION keeps; refused while that stack is up)." };
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
            // By default the store a stack of the same account and region keeps (tables are regional), which a stack that
            // is up holds locked: serve refuses it then, rather than serve a second copy of tables the stack is changing.
            if (!AccountContext.TryFromEnvironment(null, out var account, out var refusal))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"cloister serve dynamodb: {refusal}").ConfigureAwait(false);
                return 1;
            }

            var directory = parse.GetValue(data) ?? StatePaths.FromEnvironment().TablesOf(account);
            var options = new TablesServerOptions
            {
                DataDirectory = Path.GetFullPath(directory),
                HttpEndPoint = new IPEndPoint(IPAddress.Loopback, parse.GetValue(port)),
                Account = account,
                SigningCredentials = SigningCredentials(parse.GetValue(credentials) ?? []),
            };
            var output = parse.InvocationConfiguration.Output;
            if (await StartAsync(options, parse.InvocationConfiguration.Error, cancellation).ConfigureAwait(false) is not { } started)
            {
                return 1;
            }

            await using var server = started;
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

    /// <summary>
    /// Starts the service; null, with one line on <paramref name="error"/> saying why, when the port is taken or the
    /// data folder cannot hold the tables (both common, neither a crash to show as a stack trace).
    /// </summary>
    private static async Task<TablesServer?> StartAsync(TablesServerOptions options, TextWriter error, CancellationToken cancellation)
    {
        string problem;
        try
        {
            return await TablesServer.StartAsync(options, cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (FindSocketException(exception) is { } socket)
        {
            problem = socket.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"{options.HttpEndPoint} is already in use; pick another --port (0 picks a free one)."
                : $"cannot listen on {options.HttpEndPoint}: {socket.Message}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"the data folder {options.DataDirectory} cannot be used: {exception.Message}";
        }

        await error.WriteLineAsync($"cloister serve dynamodb: {problem}").ConfigureAwait(false);
        return null;
    }

    /// <summary>The socket error under Kestrel's wrapping (an IOException around an AddressInUseException around it).</summary>
    private static SocketException? FindSocketException(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException socket)
            {
                return socket;
            }
        }

        return null;
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
