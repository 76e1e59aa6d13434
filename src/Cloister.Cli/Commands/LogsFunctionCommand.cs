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

    /// <summary>Creates <c>function</c>, to be added under <c>logs</c>; <paramref name="state"/> defaults to <see cref="StatePaths.FromEnvironment"/>.</summary>
    public static Command Create(Func<StatePaths>? state = null)
    {
        state ??= () => StatePaths.FromEnvironment();
        var name = new Argument<string>("name") { Description = "The function's name, ARN or log group (/aws/lambda/NAME)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they are written." };
        var command = new Command("function", "Print a Lambda function's logs (START/END/REPORT lines and the function's output).");
        command.Arguments.Add(name);
        command.Options.Add(follow);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (FunctionName(parse.GetValue(name)!) is not { } function)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"'{parse.GetValue(name)}' is not a function: give its name, its ARN or its log group (/aws/lambda/NAME).").ConfigureAwait(false);
                return 2;
            }

            var paths = state();
            var folder = paths.FunctionLogs;
            var path = Path.Combine(folder, function + ".log");
            var output = parse.InvocationConfiguration.Output;
            if (!File.Exists(path))
            {
                var others = LoggedFunctions(folder);
                var noLogs = NoLogs(parse.GetValue(name)!, path, others)
                    + await LogicalIdHintAsync(paths, function, cancellationToken).ConfigureAwait(false);
                if (!parse.GetValue(follow))
                {
                    return await LogsCommand.NothingToPrintAsync("function", paths, noLogs, others.Count == 0, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
                }

                await LogsCommand.WaitingAsync(parse.InvocationConfiguration.Error, noLogs).ConfigureAwait(false);
            }

            await PrintAsync(path, parse.GetValue(follow), output, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Why nothing is printed, with the functions that do have logs (a mistyped name is then seen at once), as
    /// <c>logs access</c> names the APIs and stages that have some.
    /// </summary>
    private static string NoLogs(string given, string path, List<string> others) =>
        others.Count == 0
            ? $"No logs for function {given} ({path}); no function has written logs yet."
            : $"No logs for function {given} ({path}); there are logs of {string.Join(", ", others)}.";

    /// <summary>
    /// When <paramref name="given"/> is the logical id of a running stack's function (<c>HelloWorldFunction</c>, as the SAM
    /// template names it) rather than its name (<c>template-HelloWorldFunction-ZKRW2SETBWDJN</c>): the sentence naming the
    /// function and the command to run. <c>aws logs tail</c> takes the log group alone, so the id is not taken for the
    /// name; the list of functions with logs also holds earlier runs' and did not show which one was meant.
    /// </summary>
    private static async Task<string> LogicalIdHintAsync(StatePaths paths, string given, CancellationToken cancellationToken)
    {
        var (status, _, _) = await StackChannel.ReadyStatusAsync(paths, cancellationToken).ConfigureAwait(false);
        var meant = status?.Stacks
            .SelectMany(s => s.Resources.Select(r => (s.StackName, Resource: r)))
            .FirstOrDefault(r => r.Resource.ResourceType is "AWS::Lambda::Function" or "AWS::Serverless::Function" && r.Resource.LogicalResourceId == given);
        return meant?.Resource is { } function
            ? $" {given} is the logical id of stack {meant.Value.StackName}'s function {function.PhysicalResourceId}: cloister logs function {function.PhysicalResourceId}"
            : string.Empty;
    }

    /// <summary>The functions that have written logs under <paramref name="folder"/>, by name.</summary>
    private static List<string> LoggedFunctions(string folder) => Directory.Exists(folder)
        ? Directory.GetFiles(folder, "*.log").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>
    /// The function a user names as <c>aws logs tail</c> and <c>aws lambda</c> do — its name, its log group
    /// (<c>/aws/lambda/NAME</c>) or its ARN (with or without a qualifier: one log group serves every version) —; null when
    /// that is no function name (Lambda's <c>[a-zA-Z0-9-_]{1,64}</c>), so no other file under the logs is read.
    /// </summary>
    public static string? FunctionName(string given)
    {
        var name = given.StartsWith("/aws/lambda/", StringComparison.Ordinal) ? given["/aws/lambda/".Length..] : given;
        if (name.StartsWith("arn:", StringComparison.Ordinal) && name.Split(':') is { Length: 7 or 8 } parts && parts[5] == "function")
        {
            name = parts[6];
        }

        return name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? name : null;
    }

    /// <summary>
    /// Prints the events in <paramref name="path"/>; with <paramref name="follow"/>, waits for more until cancelled. A
    /// cancellation ends it quietly wherever it lands (the wait, a read or the flush), as Ctrl-C ends <c>aws logs tail --follow</c>.
    /// </summary>
    public static async Task PrintAsync(string path, bool follow, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await PrintUntilCancelledAsync(path, follow, output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task PrintUntilCancelledAsync(string path, bool follow, TextWriter output, CancellationToken cancellationToken)
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

            await Task.Delay(FollowPollInterval, cancellationToken).ConfigureAwait(false);
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
