using System.CommandLine;
using System.Net;
using Cloister.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister serve dynamodb [--port 8000] [--data DIR]</c>: the table service alone, like DynamoDB Local.</summary>
internal static class ServeCommand
{
    /// <summary>Creates the verb and its <c>dynamodb</c> subcommand.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var data = new Option<string?>("--data") { Description = "Folder for the table data (default: the state folder's tables/)." };
        var dynamodb = new Command("dynamodb", "Serve the DynamoDB-compatible table service on loopback; state persists in --data.") { port, data };
        dynamodb.SetAction(async (parse, cancellation) =>
        {
            var directory = parse.GetValue(data) ?? StatePaths.FromEnvironment().Tables;
            var options = new TablesServerOptions
            {
                DataDirectory = Path.GetFullPath(directory),
                HttpEndPoint = new IPEndPoint(IPAddress.Loopback, parse.GetValue(port)),
                Account = AccountContext.FromEnvironment(),
            };
            await using var server = await TablesServer.StartAsync(options, cancellation).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"cloister: DynamoDB-compatible service on {string.Join(", ", server.Urls)} (data: {options.DataDirectory})").ConfigureAwait(false);
            await output.FlushAsync(cancellation).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
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
}
