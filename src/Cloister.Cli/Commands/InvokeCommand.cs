using System.CommandLine;
using System.Text.Json;
using Cloister.Host.Control;
using Cloister.Model;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister invoke FUNCTION [--payload JSON] [--invocation-type Event]</c>: calls a deployed function directly, as <c>aws lambda invoke</c> does.</summary>
internal static class InvokeCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var function = new Argument<string>("function") { Description = "The function: name, logical id's generated name or ARN, with :ALIAS or :VERSION to invoke one." };
        var payload = new Option<string?>("--payload") { Description = "The event, as JSON (default {})." };
        var type = new Option<string?>("--invocation-type") { Description = "RequestResponse (default), Event or DryRun." };
        var verb = new Command("invoke", "Invoke a deployed function as aws lambda invoke does: its response on standard output, StatusCode, ExecutedVersion and RequestId on standard error; exit 1 on a function error or when Lambda refuses the call.") { function, payload, type };
        verb.SetAction(async (parse, cancellationToken) =>
        {
            var state = StatePaths.FromEnvironment();
            var error = parse.InvocationConfiguration.Error;
            if (string.IsNullOrEmpty(parse.GetValue(function)))
            {
                // The AWS CLI refuses it before any request (botocore's parameter validation; FunctionName's minimum length is 1).
                await error.WriteLineAsync("cloister invoke: Parameter validation failed:\nInvalid length for parameter FunctionName, value: 0, valid min length: 1").ConfigureAwait(false);
                return 1;
            }

            var request = new ControlRequest("invoke", parse.GetValue(function), parse.GetValue(payload) ?? "{}", parse.GetValue(type));
            var response = await StackChannel.SendAsync(state, request, TimeSpan.FromMinutes(16), cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                await error.WriteLineAsync("cloister invoke: " + StackChannel.NotRunning(state)).ConfigureAwait(false);
                return StackChannel.ExitCodeOf(response);
            }

            if (!response.Ok || response.Invocation is not { } reply)
            {
                await error.WriteLineAsync("cloister invoke: " + StackChannel.Problem(state, response)).ConfigureAwait(false);
                return StackChannel.ExitCodeOf(response);
            }

            if (reply.ErrorType is { } refused)
            {
                // Lambda refused the call and nothing ran: as the AWS CLI reports a service error, on standard error only.
                await error.WriteLineAsync($"cloister invoke: An error occurred ({refused}) when calling the Invoke operation: {ErrorMessage(reply.Payload)}").ConfigureAwait(false);
                return 1;
            }

            // As aws lambda invoke: the payload on standard output, the metadata on standard error.
            await parse.InvocationConfiguration.Output.WriteLineAsync(reply.Payload).ConfigureAwait(false);
            // ExecutedVersion only for a synchronous invocation's 200, as Lambda sends X-Amz-Executed-Version (an Event's 202 and a DryRun's 204 have none).
            var version = reply.StatusCode == 200 ? $"  ExecutedVersion: {reply.ExecutedVersion}" : string.Empty;
            await error.WriteLineAsync($"StatusCode: {reply.StatusCode}{version}  RequestId: {reply.RequestId}{(reply.FunctionError is { } e ? "  FunctionError: " + e : string.Empty)}").ConfigureAwait(false);
            return reply.FunctionError is null && reply.StatusCode is >= 200 and < 300 ? 0 : 1;
        });
        return verb;
    }

    /// <summary>The <c>message</c> of Lambda's error body, else the body itself.</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()!
                : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
