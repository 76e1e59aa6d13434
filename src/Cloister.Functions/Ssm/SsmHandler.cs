using System.Globalization;
using System.Text.Json;
using Cloister.Functions.Hosting;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Systems Manager's JSON 1.1 API (<c>POST /</c>, <c>X-Amz-Target: AmazonSSM.{Operation}</c>,
/// <c>application/x-amz-json-1.1</c>) for Parameter Store: PutParameter, GetParameter, GetParameters,
/// GetParametersByPath, DescribeParameters, GetParameterHistory, LabelParameterVersion, UnlabelParameterVersion,
/// DeleteParameter and DeleteParameters. Every call is
/// authenticated (SigV4 with the caller's secret, service <c>ssm</c>) and then authorized against the caller's identity
/// policies (and the policy of the <c>ssm</c> interface endpoint it came through) for <c>ssm:{Operation}</c> on the
/// parameter's ARN (<c>arn:aws:ssm:{region}:{account}:parameter/NAME</c>, without a second slash for a name starting
/// with one). Errors are Systems Manager's (status 400, <c>{"__type","message"}</c>).
/// </summary>
internal sealed partial class SsmHandler(
    ParameterStore store,
    ManagedNodes nodes,
    CommandStore commandStore,
    IReadOnlyList<SsmInstance> instances,
    IReadOnlySet<string> messagesEndpoints,
    IReadOnlySet<string> deliveryEndpoints,
    SsmAccess access,
    AccountContext account,
    TimeProvider time)
{
    /// <summary>The prefix of every operation's <c>X-Amz-Target</c>.</summary>
    public const string TargetPrefix = "AmazonSSM.";

    /// <summary>The prefix of the agent's ec2messages operations (GetMessages, SendReply), as ec2messages' JSON API names them.</summary>
    public const string MessagesTargetPrefix = "EC2WindowsMessageDeliveryService.";

    /// <summary>The service of the agents' control channels, as their signatures scope it and its regional listener names it.</summary>
    public const string MessagesService = "ssmmessages";

    /// <summary>The Message Delivery Service the agents fall back to for their commands, as its signatures scope it and its regional listener names it.</summary>
    public const string DeliveryService = "ec2messages";

    // A value is at most 8 KB (Advanced); with its name, description and pattern a request stays well under 64 KB.
    private const int MaxBodyBytes = 64 * 1024;

    private const string Served = "PutParameter, GetParameter, GetParameters, GetParametersByPath, DescribeParameters, GetParameterHistory, LabelParameterVersion, UnlabelParameterVersion, DeleteParameter, DeleteParameters, UpdateInstanceInformation, DescribeInstanceInformation, SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation, CancelCommand, StartSession, ResumeSession, TerminateSession, DescribeSessions";

    public Task HandleAsync(HttpContext context) =>
        JsonServiceCalls.RespondAsync<SsmException>(
            context, MaxBodyBytes, Answer, () => SsmException.Validation("Request body too large."), refused => (refused.Type, refused.Message.Length > 0 ? refused.Message : null));

    private byte[] Answer(HttpRequest request, byte[] body)
    {
        var listener = request.HttpContext.Features.Get<InterfaceEndpointListener>();
        var connection = access.Locate(
            listener,
            request.HttpContext.Features.Get<IConnectionSocketFeature>()?.Socket,
            request.HttpContext.Connection.RemoteIpAddress);
        // The region's ssmmessages and ec2messages addresses and those services' interface endpoints' listeners answer
        // the agents (control channels; message delivery), signed for their service; the regional ones through no
        // endpoint (no policy, no aws:SourceVpce).
        var service = listener is not null
            ? messagesEndpoints.Contains(listener.VpcEndpointId) ? MessagesService : deliveryEndpoints.Contains(listener.VpcEndpointId) ? DeliveryService : "ssm"
            : request.HttpContext.Features.Get<ServiceListener>()?.Service ?? "ssm";

        // The stack host's own connection is neither authenticated nor authorized, as by the other services.
        var caller = connection.Origin is null ? null : Authenticate(request, body, service);
        var target = request.Headers["X-Amz-Target"].ToString();
        // The agent's ec2messages calls keep their own target prefix (docs/ssm.md: Run Command's delivery).
        var agent = target.StartsWith(MessagesTargetPrefix, StringComparison.Ordinal);
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..]
            : agent ? target[MessagesTargetPrefix.Length..]
            : null;
        using (var document = JsonServiceCalls.ReadInput(body, (type, message) => new SsmException(type, message)))
        {
            var input = document.RootElement;
            var call = new SsmCall(caller, connection, request.IsHttps, input);
            if (service != "ssm")
            {
                // The agents' channels: their message calls (docs/ssm.md), and on ssmmessages the control channel.
                return (operation, agent) switch
                {
                    ("GetMessages", true) => GetMessages(call, service),
                    ("SendReply", true) => SendReply(call, service),
                    _ when service == MessagesService => CreateControlChannel(call, request),
                    _ => throw new SsmException("UnknownOperationException", $"Cloister serves only GetMessages and SendReply on {DeliveryService}, not {operation ?? target}."),
                };
            }

            return operation switch
            {
                "PutParameter" => PutParameter(call),
                "GetParameter" => GetParameter(call),
                "GetParameters" => GetParameters(call),
                "GetParametersByPath" => GetParametersByPath(call),
                "DescribeParameters" => DescribeParameters(call),
                "GetParameterHistory" => GetParameterHistory(call),
                "LabelParameterVersion" => LabelParameterVersion(call),
                "UnlabelParameterVersion" => UnlabelParameterVersion(call),
                "DeleteParameter" => DeleteParameter(call),
                "DeleteParameters" => DeleteParameters(call),
                "UpdateInstanceInformation" => UpdateInstanceInformation(call),
                "DescribeInstanceInformation" => DescribeInstanceInformation(call),
                "SendCommand" => SendCommand(call),
                "ListCommands" => ListCommands(call),
                "ListCommandInvocations" => ListCommandInvocations(call),
                "GetCommandInvocation" => GetCommandInvocation(call),
                "CancelCommand" => CancelCommand(call),
                "StartSession" => StartSession(call),
                "ResumeSession" => ResumeSession(call),
                "TerminateSession" => TerminateSession(call),
                "DescribeSessions" => DescribeSessions(call),
                _ => throw new SsmException("UnknownOperationException", $"Cloister does not serve the operation {operation ?? target} (served: {Served})."),
            };
        }
    }

    private CallerIdentity Authenticate(HttpRequest request, byte[] body, string service) =>
        JsonServiceCalls.Authenticate(request, body, service, access, time.GetUtcNow(), (type, message) => new SsmException(type, message));

    /// <summary>
    /// Refuses the call unless the caller's identity policies (and its endpoint's) allow <c>ssm:{operation}</c> (or
    /// <paramref name="operation"/> itself when it names its service, such as <c>ec2messages:GetMessages</c>) on
    /// <paramref name="resource"/>; <paramref name="requestTags"/> (PutParameter's <c>Tags</c>) are the request's
    /// <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c>.
    /// </summary>
    private void Authorize(SsmCall call, string operation, string resource, IReadOnlyList<(string Key, string Value)>? requestTags = null) =>
        JsonServiceCalls.Authorize(
            call.Caller,
            call.Connection,
            call.IsHttps,
            account.Region,
            time.GetUtcNow(),
            operation.Contains(':', StringComparison.Ordinal) ? operation : "ssm:" + operation,
            resource,
            (type, message) => new SsmException(type, message),
            context =>
            {
                foreach (var (key, value) in requestTags ?? [])
                {
                    context.Set("aws:RequestTag/" + key, value);
                    context.Add("aws:TagKeys", key);
                }
            });

    /// <summary>A parameter's ARN: <c>parameter/NAME</c>, a name starting with <c>/</c> adding no second slash.</summary>
    private string ParameterArn(string name) =>
        $"arn:{account.Partition}:ssm:{account.Region}:{account.AccountId}:parameter/{name.TrimStart('/')}";

    /// <summary>What DescribeParameters is authorized on: every resource of the account in the region.</summary>
    private string AccountResources() => $"arn:{account.Partition}:ssm:{account.Region}:{account.AccountId}:*";

    /// <summary>Who a write is recorded as having been made by (<c>LastModifiedUser</c>).</summary>
    private string UserOf(SsmCall call) => call.Caller?.Arn ?? $"arn:{account.Partition}:iam::{account.AccountId}:root";

    private static double Seconds(long milliseconds) => milliseconds / 1000.0;

    private static string Token(string name) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(name));

    /// <summary>The name a paging token stands for (the first of the next page).</summary>
    private static string NameOf(string token)
    {
        var bytes = new byte[token.Length];
        return Convert.TryFromBase64String(token, bytes, out var written)
            ? System.Text.Encoding.UTF8.GetString(bytes, 0, written)
            : throw SsmException.InvalidToken();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Json(Action<Utf8JsonWriter> write) => JsonServiceCalls.Json(write);

    /// <summary>A list operation's answer: <paramref name="page"/>'s items under <paramref name="member"/>, and <c>NextToken</c> when more follow.</summary>
    private static byte[] PageJson<T>(string member, IEnumerable<T> page, string? next, Action<Utf8JsonWriter, T> write) => Json(writer =>
    {
        writer.WriteStartArray(member);
        foreach (var item in page)
        {
            write(writer, item);
        }

        writer.WriteEndArray();
        if (next is not null)
        {
            writer.WriteString("NextToken", next);
        }
    });
}
