using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister logs function NAME [--follow]</c>: a function's log events (<c>StatePaths.FunctionLogs/NAME.log</c>,
/// JSON lines), printed as <c>aws logs tail</c> prints them: time, log stream, message.
/// </summary>
internal static class LogsFunctionCommand
{
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Creates <c>function</c>, to be added under <c>logs</c>.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The function's name." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they are written." };
        var command = new Command("function", "Print a Lambda function's logs (START/END/REPORT lines and the function's output).");
        command.Arguments.Add(name);
        command.Options.Add(follow);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.Combine(StatePaths.FromEnvironment().FunctionLogs, parse.GetValue(name)! + ".log");
            var output = parse.InvocationConfiguration.Output;
            if (!File.Exists(path) && !parse.GetValue(follow))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"No logs for function {parse.GetValue(name)} ({path}).").ConfigureAwait(false);
                return 1;
            }

            await PrintAsync(path, parse.GetValue(follow), output, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Prints the events in <paramref name="path"/>; with <paramref name="follow"/>, waits for more until cancelled.</summary>
    public static async Task PrintAsync(string path, bool follow, TextWriter output, CancellationToken cancellationToken)
    {
        long position = 0;
        var pending = string.Empty;
        do
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (stream.Length < position)
                {
                    position = 0;
                }

                stream.Seek(position, SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                var text = pending + await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                position = stream.Position;
                var lastNewline = text.LastIndexOf('\n');
                pending = lastNewline < 0 ? text : text[(lastNewline + 1)..];
                if (lastNewline >= 0)
                {
                    foreach (var line in text[..lastNewline].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        await output.WriteLineAsync(Format(line)).ConfigureAwait(false);
                    }

                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (!follow)
            {
                break;
            }

            try
            {
                await Task.Delay(FollowPollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (!cancellationToken.IsCancellationRequested);
    }

    /// <summary>One event as <c>aws logs tail</c> shows it.</summary>
    public static string Format(string jsonLine)
    {
        try
        {
            using var document = JsonDocument.Parse(jsonLine);
            var root = document.RootElement;
            var time = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("timestamp").GetInt64());
            var stream = root.TryGetProperty("logStreamName", out var s) ? s.GetString() : string.Empty;
            var message = root.GetProperty("message").GetString();
            return string.Create(CultureInfo.InvariantCulture, $"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}+00:00 {stream} {message}");
        }
        catch (JsonException)
        {
            return jsonLine;
        }
        catch (KeyNotFoundException)
        {
            return jsonLine;
        }
    }
}
