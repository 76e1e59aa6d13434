using System.Text.Json;
using Cloister.Functions.Hosting;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs' JSON 1.1 API (<c>POST /</c>, <c>X-Amz-Target: Logs_20140328.{Operation}</c>,
/// <c>application/x-amz-json-1.1</c>) over the sandbox's log files: DescribeLogGroups, DescribeLogStreams,
/// GetLogEvents and FilterLogEvents (what <c>aws logs tail</c>, <c>describe-log-groups</c>, <c>get-log-events</c> and
/// <c>filter-log-events</c> call), CreateLogGroup, CreateLogStream and PutLogEvents for code that writes its own logs,
/// PutRetentionPolicy, DeleteRetentionPolicy, DeleteLogGroup and DeleteLogStream, and the tagging operations. Every call is authenticated (SigV4 with the caller's secret, service <c>logs</c>) and
/// then authorized against the caller's identity policies (and the policy of the <c>logs</c> interface endpoint it came
/// through) for <c>logs:{Operation}</c> on the log group's or stream's ARN, as the service authorization reference names them. Errors are CloudWatch Logs' (status 400,
/// <c>{"__type","message"}</c>).
/// </summary>
internal sealed partial class LogsHandler(
    LogStore store,
    LogsAccess access,
    AccountContext account,
    TimeProvider time)
{
    /// <summary>The prefix of every operation's <c>X-Amz-Target</c>.</summary>
    public const string TargetPrefix = "Logs_20140328.";

    /// <summary>The operations served, in the order the refusal of another names them; those that write need a data directory.</summary>
    private static readonly (string Name, bool Writes, Func<LogsHandler, LogsCall, byte[]> Run)[] Operations =
    [
        ("DescribeLogGroups", false, (h, c) => h.DescribeLogGroups(c)),
        ("DescribeLogStreams", false, (h, c) => h.DescribeLogStreams(c)),
        ("GetLogEvents", false, (h, c) => h.GetLogEvents(c)),
        ("FilterLogEvents", false, (h, c) => h.FilterLogEvents(c)),
        ("CreateLogGroup", true, (h, c) => h.CreateLogGroup(c)),
        ("CreateLogStream", true, (h, c) => h.CreateLogStream(c)),
        ("PutLogEvents", true, (h, c) => h.PutLogEvents(c)),
        ("PutRetentionPolicy", true, (h, c) => h.PutRetentionPolicy(c)),
        ("DeleteRetentionPolicy", true, (h, c) => h.DeleteRetentionPolicy(c)),
        ("DeleteLogGroup", true, (h, c) => h.DeleteLogGroup(c)),
        ("DeleteLogStream", true, (h, c) => h.DeleteLogStream(c)),
        ("TagResource", true, (h, c) => h.TagResource(c)),
        ("UntagResource", true, (h, c) => h.UntagResource(c)),
        ("ListTagsForResource", true, (h, c) => h.ListTagsForResource(c)),
        ("TagLogGroup", true, (h, c) => h.TagLogGroup(c)),
        ("UntagLogGroup", true, (h, c) => h.UntagLogGroup(c)),
        ("ListTagsLogGroup", true, (h, c) => h.ListTagsLogGroup(c)),
    ];

    // PutLogEvents' batch is at most 1,048,576 bytes of events; a request larger than twice that is not read.
    private const int MaxBodyBytes = 2 * 1024 * 1024;

    public Task HandleAsync(HttpContext context) =>
        JsonServiceCalls.RespondAsync<LogsException>(context, MaxBodyBytes, Answer, () => LogsException.InvalidParameter("Request body too large."), refused => (refused.Type, refused.Message));

    /// <summary>The tags an authorization sees: the resource's, and those the call sets (keys and values) or removes (keys).</summary>
    private sealed record TagFacts
    {
        public IReadOnlyDictionary<string, string> OfResource { get; init; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> OfRequest { get; init; } = new Dictionary<string, string>();

        public IReadOnlyList<string> Keys { get; init; } = [];
    }

    private byte[] Answer(HttpRequest request, byte[] body)
    {
        var connection = access.Locate(
            request.HttpContext.Features.Get<InterfaceEndpointListener>(),
            request.HttpContext.Features.Get<IConnectionSocketFeature>()?.Socket,
            request.HttpContext.Connection.RemoteIpAddress);
        // The stack host's own connection is neither authenticated nor authorized, as by the other services.
        var caller = connection.Origin is null ? null : Authenticate(request, body);
        var target = request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : null;
        using (var document = JsonServiceCalls.ReadInput(body, (type, message) => new LogsException(type, message)))
        {
            var input = document.RootElement;
            var call = new LogsCall(caller, connection, request.IsHttps, input);
            var served = Operations.Where(o => !o.Writes || store.IsWritable).ToList();
            return served.Find(o => o.Name == operation) is { Run: { } run }
                ? run(this, call)
                : throw new LogsException("UnknownOperationException", $"Cloister does not serve the operation {operation ?? target} (served: {string.Join(", ", served.Select(o => o.Name))}).");
        }
    }

    private CallerIdentity Authenticate(HttpRequest request, byte[] body) =>
        JsonServiceCalls.Authenticate(request, body, "logs", access, time.GetUtcNow(), (type, message) => new LogsException(type, message));

    /// <summary>
    /// Refuses the call unless the caller's identity policies allow <c>logs:{operation}</c> on <paramref name="resource"/>,
    /// with the group's tags as <c>aws:ResourceTag/KEY</c>, and the tags the call sets or removes as
    /// <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c>.
    /// </summary>
    private void Authorize(LogsCall call, string operation, string resource, TagFacts? tags = null) =>
        JsonServiceCalls.Authorize(
            call.Caller, call.Connection, call.IsHttps, account.Region, time.GetUtcNow(), "logs:" + operation, resource, (type, message) => new LogsException(type, message), context =>
            {
                if (tags is null)
                {
                    return;
                }

                foreach (var (key, value) in tags.OfResource)
                {
                    context.Set("aws:ResourceTag/" + key, value);
                }

                foreach (var (key, value) in tags.OfRequest)
                {
                    context.Set("aws:RequestTag/" + key, value);
                }

                foreach (var key in tags.Keys)
                {
                    context.Add("aws:TagKeys", key);
                }
            });

    /// <summary>
    /// The ARN a call on a log group's streams is authorized against (<c>log-group:NAME:log-stream:STREAM</c>; an empty
    /// stream for calls on the whole group, an empty group for DescribeLogGroups), as AWS names it in its denials;
    /// <c>log-group:NAME:*</c> in a policy covers all of them.
    /// </summary>
    private string StreamArn(string group, string stream) =>
        $"arn:{account.Partition}:logs:{account.Region}:{account.AccountId}:log-group:{group}:log-stream:{stream}";

    /// <summary>A log group's ARN as DescribeLogGroups' <c>arn</c> gives it, with the <c>:*</c> policies use.</summary>
    private string GroupArn(string group) => $"arn:{account.Partition}:logs:{account.Region}:{account.AccountId}:log-group:{group}:*";

    /// <summary>The group a call names by <c>logGroupName</c> or <c>logGroupIdentifier</c> (its name or ARN), authorized first (with <paramref name="tags"/> the call sets or removes).</summary>
    private LogGroupSource Group(LogsCall call, string operation, string stream = "", TagFacts? tags = null)
    {
        var name = call.String("logGroupName");
        var identifier = call.String("logGroupIdentifier");
        if (name is not null && identifier is not null)
        {
            throw LogsException.InvalidParameter("LogGroupName and LogGroupIdentifier are mutually exclusive parameters.");
        }

        name ??= identifier is null ? null : NameOf(identifier);
        if (string.IsNullOrEmpty(name))
        {
            throw LogsException.InvalidParameter("Either LogGroupName or LogGroupIdentifier must be specified.");
        }

        return Group(call, name, operation, stream, tags);
    }

    /// <summary>The group named <paramref name="name"/>, the call authorized first.</summary>
    private LogGroupSource Group(LogsCall call, string name, string operation, string stream, TagFacts? tags)
    {
        // The group's tags are its aws:ResourceTag keys; an unknown group is refused after the authorization, as by AWS.
        var group = store.Groups().Find(g => g.Name == name);
        Authorize(call, operation, StreamArn(name, stream), (tags ?? new TagFacts()) with { OfResource = group is null ? [] : store.Tags(name) });
        return group ?? throw LogsException.NoSuchGroup();
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The events of <paramref name="group"/> there are now: not deleted, not past its retention.</summary>
    private List<LogEvent> Events(LogGroupSource group) => store.Events(group, Now);

    /// <summary>Whether <paramref name="group"/> has the stream: created by CreateLogStream, or with an event (of <paramref name="events"/>, the group's now).</summary>
    private bool HasStream(LogGroupSource group, string stream, List<LogEvent>? events = null) =>
        store.CreatedStreams(group.Name).ContainsKey(stream) || (events ?? Events(group)).Exists(e => e.StreamName == stream);

    // An identifier is a name or an ARN arn:{partition}:logs:{region}:{account}:log-group:{name}[:*].
    private static string NameOf(string identifier)
    {
        const string Marker = ":log-group:";
        var at = identifier.IndexOf(Marker, StringComparison.Ordinal);
        if (!identifier.StartsWith("arn:", StringComparison.Ordinal) || at < 0)
        {
            return identifier;
        }

        var name = identifier[(at + Marker.Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    private static byte[] Json(Action<Utf8JsonWriter> write) => JsonServiceCalls.Json(write);
}
