using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// How an instance's agent fetches its Run Command invocations (and CancelCommand's cancellations) and reports their
/// outcome: ec2messages' GetMessages and SendReply, served on the Message Delivery Service (<c>ec2messages.{region}</c>
/// or an <c>ec2messages</c> interface endpoint, authorized as <c>ec2messages:GetMessages</c> and
/// <c>ec2messages:SendReply</c>) and on the control channel's service (<c>ssmmessages.{region}</c> or an
/// <c>ssmmessages</c> interface endpoint, authorized as <c>ssmmessages:OpenControlChannel</c>, as current agents take
/// their commands over the control channel when they have one); <c>AmazonSSMManagedInstanceCore</c> allows both. Each message's <c>Payload</c> is a JSON document (as a string, as
/// ec2messages carries it) whose members docs/ssm.md lists; only the instance's own role session may fetch or reply.
/// </summary>
internal sealed partial class SsmHandler
{
    /// <summary>The topic of a Run Command message, as the agent's message processor names it.</summary>
    public const string SendCommandTopic = "aws.ssm.sendCommand";

    /// <summary>The topic of CancelCommand's message to the agent running the invocation.</summary>
    public const string CancelCommandTopic = "aws.ssm.cancelCommand";

    /// <summary>
    /// What an agent's message call on <paramref name="service"/> is authorized as: ec2messages' own action, or on
    /// ssmmessages (the control channel, which carries the messages on AWS) <c>ssmmessages:OpenControlChannel</c>.
    /// </summary>
    private static string MessageAction(string service, string operation) =>
        service == DeliveryService ? $"ec2messages:{operation}" : "ssmmessages:OpenControlChannel";

    private byte[] GetMessages(SsmCall call, string service)
    {
        var instanceId = call.Required("Destination");
        var action = MessageAction(service, "GetMessages");
        Authorize(call, action, "*");
        RequireInstanceItself(call, action, instanceId);
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

    private byte[] SendReply(SsmCall call, string service)
    {
        var messageId = call.Required("MessageId");
        var payloadText = call.Required("Payload");
        var action = MessageAction(service, "SendReply");
        Authorize(call, action, "*");
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

        RequireInstanceItself(call, action, instanceId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!commandStore.Complete(commandId, instanceId, status, responseCode, Truncate(output, MaxInvocationOutput), Truncate(error, MaxInvocationOutput), now))
        {
            throw new SsmException("InvalidCommandId", string.Empty);
        }

        return Json(writer => writer.WriteString("ReplyId", call.String("ReplyId") ?? Guid.NewGuid().ToString()));
    }
}
