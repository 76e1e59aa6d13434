using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Hosting;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Ssm;

/// <summary>
/// What amazon-ssm-agent says to Systems Manager, signed with Signature Version 4 (scope <c>ssm</c>) with its
/// instance's role session: UpdateInstanceInformation (its registration and ping) on <c>https://ssm.{region}.{suffix}/</c>,
/// ssmmessages' CreateControlChannel (scope <c>ssmmessages</c>) on <c>https://ssmmessages.{region}.{suffix}/</c>, and
/// ec2messages' GetMessages and SendReply (its Run Command invocations and their outcome) on the control channel's
/// service or on <c>https://ec2messages.{region}.{suffix}/</c> (scope <c>ec2messages</c>), as <see cref="MessageChannel"/> says. The
/// <see cref="HttpClient"/> given decides how the connection is made (from inside the instance, in the sandbox).
/// </summary>
public sealed class SsmAgentClient(HttpClient http, string region, string urlSuffix, TimeProvider? time = null)
{
    /// <summary>The version the agent reports, a current amazon-ssm-agent's.</summary>
    public const string AgentVersion = "3.3.1142.0";

    /// <summary>The characters of each output stream an invocation reports (GetCommandInvocation's limit).</summary>
    public const int MaxOutput = 24_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Systems Manager's regional name, which the agent resolves and connects to.</summary>
    public Uri Endpoint { get; } = new($"https://ssm.{region}.{urlSuffix}/");

    /// <summary>Session Manager's message gateway, where the agent creates its control channel.</summary>
    public Uri MessagesEndpoint { get; } = new($"https://ssmmessages.{region}.{urlSuffix}/");

    /// <summary>The Message Delivery Service, where the agent takes its commands when it has no control channel.</summary>
    public Uri DeliveryEndpoint { get; } = new($"https://ec2messages.{region}.{urlSuffix}/");

    /// <summary>Creates the agent's control channel (ssmmessages), which Session Manager needs to reach the instance.</summary>
    public async Task CreateControlChannelAsync(AgentCredentials credentials, string instanceId, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(credentials, new Uri(MessagesEndpoint, "v1/control-channel/" + instanceId), "ssmmessages", target: null, "application/json", Json(writer =>
        {
            writer.WriteString("MessageSchemaVersion", "1.0");
            writer.WriteString("RequestId", Guid.NewGuid().ToString());
        }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers (or pings for) <paramref name="instanceId"/>; throws <see cref="SsmAgentException"/> when refused or unreachable.</summary>
    public async Task UpdateInstanceInformationAsync(AgentCredentials credentials, string instanceId, string ipAddress, string computerName, CancellationToken cancellationToken)
    {
        await CallAsync(credentials, SsmHandler.TargetPrefix + "UpdateInstanceInformation", writer =>
        {
            writer.WriteString("InstanceId", instanceId);
            writer.WriteString("AgentVersion", AgentVersion);
            writer.WriteString("AgentName", "amazon-ssm-agent");
            writer.WriteString("AgentStatus", "Active");
            writer.WriteString("PlatformType", "Linux");
            writer.WriteString("PlatformName", "Debian GNU/Linux");
            writer.WriteString("PlatformVersion", "12");
            writer.WriteString("IPAddress", ipAddress);
            writer.WriteString("ComputerName", computerName);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance's pending Run Command invocations, each now in progress, and the cancellations of running ones.</summary>
    public async Task<List<AgentCommand>> GetMessagesAsync(AgentCredentials credentials, string instanceId, MessageChannel channel, CancellationToken cancellationToken)
    {
        using var answer = await MessageCallAsync(credentials, channel, "GetMessages", writer =>
        {
            writer.WriteString("Destination", instanceId);
            writer.WriteString("MessagesRequestId", Guid.NewGuid().ToString());
            writer.WriteNumber("VisibilityTimeoutInSeconds", 10);
        }, cancellationToken).ConfigureAwait(false);
        var commands = new List<AgentCommand>();
        if (!answer.RootElement.TryGetProperty("Messages", out var messages))
        {
            return commands;
        }

        foreach (var message in messages.EnumerateArray())
        {
            var topic = message.GetProperty("Topic").GetString();
            if (topic is not (SsmHandler.SendCommandTopic or SsmHandler.CancelCommandTopic))
            {
                continue;
            }

            using var payload = JsonDocument.Parse(message.GetProperty("Payload").GetString()!);
            var root = payload.RootElement;
            if (topic == SsmHandler.CancelCommandTopic)
            {
                commands.Add(new AgentCommand(message.GetProperty("MessageId").GetString()!, root.GetProperty("CommandId").GetString()!, [], null, 0, Cancel: true));
                continue;
            }

            commands.Add(new AgentCommand(
                message.GetProperty("MessageId").GetString()!,
                root.GetProperty("CommandId").GetString()!,
                [.. root.GetProperty("Commands").EnumerateArray().Select(c => c.GetString()!)],
                root.TryGetProperty("WorkingDirectory", out var directory) ? directory.GetString() : null,
                root.GetProperty("ExecutionTimeout").GetInt32()));
        }

        return commands;
    }

    /// <summary>Reports how <paramref name="command"/> ended on <paramref name="instanceId"/>.</summary>
    public async Task SendReplyAsync(AgentCredentials credentials, string instanceId, AgentCommand command, AgentResult result, MessageChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(result);
        var payload = Encoding.UTF8.GetString(Json(writer =>
        {
            writer.WriteString("CommandId", command.CommandId);
            writer.WriteString("InstanceId", instanceId);
            writer.WriteString("Status", result.Status);
            writer.WriteNumber("ResponseCode", result.ResponseCode);
            writer.WriteString("StandardOutput", result.StandardOutput);
            writer.WriteString("StandardError", result.StandardError);
        }));
        using var answer = await MessageCallAsync(credentials, channel, "SendReply", writer =>
        {
            writer.WriteString("MessageId", command.MessageId);
            writer.WriteString("ReplyId", Guid.NewGuid().ToString());
            writer.WriteString("Payload", payload);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An ec2messages call on <paramref name="channel"/>'s service, signed for it.</summary>
    private Task<JsonDocument> MessageCallAsync(AgentCredentials credentials, MessageChannel channel, string operation, Action<Utf8JsonWriter> input, CancellationToken cancellationToken)
    {
        var (endpoint, service) = channel == MessageChannel.ControlChannel
            ? (MessagesEndpoint, SsmHandler.MessagesService)
            : (DeliveryEndpoint, SsmHandler.DeliveryService);
        return SendAsync(credentials, endpoint, service, SsmHandler.MessagesTargetPrefix + operation, "application/x-amz-json-1.1", Json(input), cancellationToken);
    }

    private Task<JsonDocument> CallAsync(AgentCredentials credentials, string target, Action<Utf8JsonWriter> input, CancellationToken cancellationToken) =>
        SendAsync(credentials, Endpoint, "ssm", target, "application/x-amz-json-1.1", Json(input), cancellationToken);

    private async Task<JsonDocument> SendAsync(AgentCredentials credentials, Uri uri, string service, string? target, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (target is not null)
        {
            request.Headers.Add("X-Amz-Target", target);
        }

        Sign(request, body, credentials, service, contentType);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SsmAgentException(null, $"RequestError: send request failed caused by: Post \"{uri}\": {Reason(e)}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SsmAgentException(null, $"RequestError: send request failed caused by: Post \"{uri}\": i/o timeout", e);
        }

        using (response)
        {
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(answer.Length == 0 ? "{}"u8.ToArray() : answer);
            }
            catch (JsonException e)
            {
                throw new SsmAgentException(null, string.Create(CultureInfo.InvariantCulture, $"SerializationError: status code {(int)response.StatusCode}, the answer is not JSON"), e);
            }

            if (response.IsSuccessStatusCode)
            {
                return document;
            }

            using (document)
            {
                var root = document.RootElement;
                var type = root.TryGetProperty("__type", out var t) ? t.GetString() ?? "UnknownError" : "UnknownError";
                var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
                throw new SsmAgentException(type, string.Create(CultureInfo.InvariantCulture, $"{type}: {message}\n\tstatus code: {(int)response.StatusCode}"));
            }
        }
    }

    /// <summary>The innermost reason a connection failed (a refused connection, an unknown name), as a dial error reads.</summary>
    private static string Reason(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return inner.Message;
    }

    private void Sign(HttpRequestMessage request, byte[] body, AgentCredentials credentials, string service, string contentType)
    {
        var uri = request.RequestUri!;
        var now = _time.GetUtcNow().UtcDateTime;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = SigV4Canonical.Hex(SHA256.HashData(body));
        var headers = new HeaderDictionary
        {
            ["content-type"] = contentType,
            ["host"] = uri.Host,
            ["x-amz-date"] = amzDate,
        };
        if (request.Headers.TryGetValues("X-Amz-Target", out var target))
        {
            headers["x-amz-target"] = target.First();
        }

        request.Headers.Add("X-Amz-Date", amzDate);
        if (credentials.SessionToken is { } token)
        {
            headers["x-amz-security-token"] = token;
            request.Headers.Add("X-Amz-Security-Token", token);
        }

        var signed = string.Join(';', headers.Keys.Order(StringComparer.Ordinal));
        var canonical = SigV4Canonical.CanonicalRequest("POST", uri.AbsolutePath, headers, signed, payloadHash);
        var scope = SigV4Canonical.Scope(date, region, service);
        var signature = SigV4Canonical.Signature(SigV4Canonical.SigningKey(credentials.SecretAccessKey, date, region, service), SigV4Canonical.StringToSign(amzDate, scope, canonical));
        request.Headers.TryAddWithoutValidation("Authorization", $"{SigV4Canonical.Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signed}, Signature={signature}");
    }

    private static byte[] Json(Action<Utf8JsonWriter> write) => JsonServiceCalls.Json(write);
}
