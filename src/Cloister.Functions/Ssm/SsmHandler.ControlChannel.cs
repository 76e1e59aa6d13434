using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Session Manager's message gateway (ssmmessages) as far as the agents' side goes: CreateControlChannel, which an
/// agent calls to say it can take sessions. Served only on the listeners of <c>ssmmessages</c> interface endpoints;
/// the WebSocket that follows on AWS (OpenControlChannel) is not, so the channel counts as open from its creation.
/// </summary>
internal sealed partial class SsmHandler
{
    private const string ControlChannelPath = "/v1/control-channel/";

    private byte[] CreateControlChannel(SsmCall call, HttpRequest request)
    {
        var path = request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsPost(request.Method) || !path.StartsWith(ControlChannelPath, StringComparison.Ordinal) || path.Length == ControlChannelPath.Length)
        {
            throw new SsmException("UnknownOperationException", $"Cloister serves only CreateControlChannel (POST {ControlChannelPath}INSTANCE-ID), GetMessages and SendReply on ssmmessages.");
        }

        var instanceId = path[ControlChannelPath.Length..];
        Authorize(call, "ssmmessages:CreateControlChannel", "*");
        RequireInstanceItself(call, "ssmmessages:CreateControlChannel", instanceId);
        nodes.OpenControlChannel(instanceId, time.GetUtcNow().ToUnixTimeMilliseconds());
        return Json(writer =>
        {
            writer.WriteString("MessageSchemaVersion", "1.0");
            writer.WriteString("RequestId", call.String("RequestId") ?? Guid.NewGuid().ToString());
            writer.WriteString("TokenValue", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        });
    }
}
