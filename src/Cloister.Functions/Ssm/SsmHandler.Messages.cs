using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// How an instance's agent fetches its Run Command invocations (and CancelCommand's cancellations) and reports their
/// outcome: ec2messages' GetMessages
/// and SendReply, served on the Systems Manager endpoint (<c>ssm.{region}</c> or an <c>ssm</c> interface endpoint)
/// and authorized as <c>ec2messages:GetMessages</c> and <c>ec2messages:SendReply</c>, which
/// <c>AmazonSSMManagedInstanceCore</c> allows. Each message's <c>Payload</c> is a JSON document (as a string, as
/// ec2messages carries it) whose members docs/ssm.md lists; only the instance's own role session may fetch or reply.
/// </summary>
internal sealed partial class SsmHandler
{
    /// <summary>The topic of a Run Command message, as the agent's message processor names it.</summary>
    public const string SendCommandTopic = "aws.ssm.sendCommand";

    /// <summary>The topic of CancelCommand's message to the agent running the invocation.</summary>
    public const string CancelCommandTopic = "aws.ssm.cancelCommand";

    private byte[] GetMessages(SsmCall call)
    {
        var instanceId = call.Required("Destination");
        Authorize(call, "ec2messages:GetMessages", "*");
        RequireInstanceItself(call, "ec2messages:GetMessages", instanceId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var delivered = commandStore.Deliver(instanceId, now);
        return Json(writer =>
        {
            writer.WriteString("Destination", instanceId);
            writer.WriteString("MessagesRequestId", call.String("MessagesRequestId") ?? Guid.NewGuid().ToString());
            writer.WriteStartArray("Messages");
            foreach (var (command, cancel) in delivered)
            {
                writer.WriteStartObject();
                writer.WriteString("MessageId", cancel ? $"aws.ssm.cancel.{command.CommandId}.{instanceId}" : $"aws.ssm.{command.CommandId}.{instanceId}");
                writer.WriteString("Topic", cancel ? CancelCommandTopic : SendCommandTopic);
                writer.WriteString("CreatedDate", Timestamp(cancel ? now : command.RequestedMilliseconds));
                writer.WriteString("Destination", instanceId);
                writer.WriteString("Payload", System.Text.Encoding.UTF8.GetString(Json(payload =>
                {
                    payload.WriteString("CommandId", command.CommandId);
                    if (cancel)
                    {
                        // Names the message of the invocation to kill, as ec2messages' cancel messages do.
                        payload.WriteString("CancelMessageId", $"aws.ssm.{command.CommandId}.{instanceId}");
                        return;
                    }

                    payload.WriteString("DocumentName", command.DocumentName);
                    WriteValues(payload, "Commands", command.Commands);
                    if (command.WorkingDirectory is { } directory)
                    {
                        payload.WriteString("WorkingDirectory", directory);
                    }

                    payload.WriteNumber("ExecutionTimeout", command.ExecutionTimeoutSeconds);
                })));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private byte[] SendReply(SsmCall call)
    {
        var messageId = call.Required("MessageId");
        var payloadText = call.Required("Payload");
        Authorize(call, "ec2messages:SendReply", "*");
        string commandId, instanceId, status, output, error;
        int responseCode;
        try
        {
            using var payload = JsonDocument.Parse(payloadText, new JsonDocumentOptions { MaxDepth = 4 });
            var root = payload.RootElement;
            commandId = root.GetProperty("CommandId").GetString()!;
            instanceId = root.GetProperty("InstanceId").GetString()!;
            status = root.GetProperty("Status").GetString()!;
            responseCode = root.GetProperty("ResponseCode").GetInt32();
            output = root.TryGetProperty("StandardOutput", out var o) ? o.GetString() ?? string.Empty : string.Empty;
            error = root.TryGetProperty("StandardError", out var e) ? e.GetString() ?? string.Empty : string.Empty;
        }
        catch (Exception problem) when (problem is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw SsmException.Validation("The reply's payload is not a Run Command result.");
        }

        if (status is not ("Success" or "Failed" or "TimedOut" or "Cancelled") || messageId != $"aws.ssm.{commandId}.{instanceId}")
        {
            throw SsmException.Validation(string.Create(CultureInfo.InvariantCulture, $"The reply to {messageId} does not match it or has status {status}."));
        }

        RequireInstanceItself(call, "ec2messages:SendReply", instanceId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!commandStore.Complete(commandId, instanceId, status, responseCode, Truncate(output, MaxInvocationOutput), Truncate(error, MaxInvocationOutput), now))
        {
            throw new SsmException("InvalidCommandId", string.Empty);
        }

        return Json(writer => writer.WriteString("ReplyId", call.String("ReplyId") ?? Guid.NewGuid().ToString()));
    }
}
