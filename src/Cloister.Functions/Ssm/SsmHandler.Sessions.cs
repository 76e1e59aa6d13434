using System.Security.Cryptography;
using System.Text.Json;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Session Manager's API: StartSession admits a session as AWS does (the caller allowed <c>ssm:StartSession</c> on the
/// instance and the document, the document's parameters, the node online with a control channel, else
/// <c>TargetNotConnected</c>) and answers its id, token and stream URL; ResumeSession, TerminateSession and
/// DescribeSessions follow it. The data channel itself (ssmmessages' WebSocket) is not served: <c>cloister
/// session</c> opens the shell (docs/ssm.md).
/// </summary>
internal sealed partial class SsmHandler
{
    /// <summary>The document a session runs when StartSession names none: the account's shell preferences.</summary>
    public const string DefaultSessionDocument = "SSM-SessionManagerRunShell";

    private const string PortPattern = "^([1-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";
    private const string LocalPortPattern = "^([0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

    /// <summary>The session documents served, each with its parameters: required or not, and the pattern of its value.</summary>
    private static readonly Dictionary<string, (string Name, bool Required, string? Pattern)[]> SessionDocuments = new(StringComparer.Ordinal)
    {
        [DefaultSessionDocument] = [],
        ["AWS-StartInteractiveCommand"] = [("command", true, null)],
        ["AWS-StartNonInteractiveCommand"] = [("command", true, null)],
        ["AWS-StartPortForwardingSession"] = [("portNumber", false, PortPattern), ("localPortNumber", false, LocalPortPattern)],
        ["AWS-StartPortForwardingSessionToRemoteHost"] = [("host", true, null), ("portNumber", false, PortPattern), ("localPortNumber", false, LocalPortPattern)],
        ["AWS-StartSSHSession"] = [("portNumber", false, PortPattern)],
    };

    private static readonly string[] SessionFilterKeys = ["InvokedAfter", "InvokedBefore", "Target", "Owner", "Status", "SessionId"];

    private readonly ManagerSessions _sessions = new();

    private byte[] StartSession(SsmCall call)
    {
        var target = call.Required("Target");
        call.Matching("Target", pattern: null, maximum: 400, minimum: 1);
        var document = call.Matching("DocumentName", DocumentNamePattern) ?? DefaultSessionDocument;
        var reason = call.Matching("Reason", "^.{1,256}$");
        var parameters = !call.Input.TryGetProperty("Parameters", out var p) || p.ValueKind == JsonValueKind.Null ? default
            : p.ValueKind == JsonValueKind.Object ? p
            : throw new SsmException("SerializationException", "Parameters must be a map of lists of strings.");
        Authorize(call, "StartSession", InstanceArn(target));
        Authorize(call, "StartSession", SessionDocumentArn(document));
        if (!SessionDocuments.TryGetValue(document, out var declared))
        {
            throw new SsmException("InvalidDocument", document.StartsWith("AWS-", StringComparison.Ordinal) ? $"Document {document} is not a session document Cloister serves." : string.Empty);
        }

        CheckSessionParameters(document, declared, parameters);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!nodes.IsConnected(target, now))
        {
            throw new SsmException("TargetNotConnected", $"{target} is not connected.");
        }

        var owner = call.Caller?.Arn ?? $"arn:{account.Partition}:iam::{account.AccountId}:root";
        var session = new ManagerSession($"{owner[(owner.LastIndexOfAny([':', '/']) + 1)..]}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17]}", target, document, owner, reason, now, null);
        _sessions.Add(session);
        return SessionAnswer(session);
    }

    private byte[] ResumeSession(SsmCall call)
    {
        var sessionId = call.Matching("SessionId", pattern: null, maximum: 96, minimum: 1) ?? call.Required("SessionId");
        Authorize(call, "ResumeSession", SessionArn(sessionId));
        return _sessions.Find(sessionId, time.GetUtcNow().ToUnixTimeMilliseconds()) is { EndMilliseconds: null } session
            ? SessionAnswer(session)
            : throw new SsmException("DoesNotExistException", $"Session {sessionId} does not exist or has ended.");
    }

    private byte[] TerminateSession(SsmCall call)
    {
        var sessionId = call.Matching("SessionId", pattern: null, maximum: 96, minimum: 1) ?? call.Required("SessionId");
        Authorize(call, "TerminateSession", SessionArn(sessionId));
        // AWS answers any id: terminating a session that has ended (or never was) is not an error.
        _sessions.Terminate(sessionId, time.GetUtcNow().ToUnixTimeMilliseconds());
        return Json(writer => writer.WriteString("SessionId", sessionId));
    }

    private byte[] DescribeSessions(SsmCall call)
    {
        var state = call.Required("State");
        if (state is not ("Active" or "History"))
        {
            throw SsmException.Validation($"1 validation error detected: Value '{state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [Active, History]");
        }

        var limit = call.Int("MaxResults", 1, 200) ?? 200;
        var token = call.String("NextToken");
        var filters = SessionFilters(call);
        Authorize(call, "DescribeSessions", AccountResources());
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var matching = _sessions.All(now).Where(s => (s.EndMilliseconds is null) == (state == "Active") && filters.TrueForAll(f => f(s))).ToList();
        var (page, next) = Offset(matching, token, limit);
        return PageJson("Sessions", page, next, (writer, session) =>
        {
            writer.WriteStartObject();
            writer.WriteString("SessionId", session.SessionId);
            writer.WriteString("Target", session.Target);
            writer.WriteString("Status", SessionStatus(session));
            writer.WriteNumber("StartDate", Seconds(session.StartMilliseconds));
            if (session.EndMilliseconds is { } ended)
            {
                writer.WriteNumber("EndDate", Seconds(ended));
            }

            writer.WriteString("DocumentName", session.DocumentName);
            writer.WriteString("Owner", session.Owner);
            if (session.Reason is { } reason)
            {
                writer.WriteString("Reason", reason);
            }

            writer.WriteStartObject("OutputUrl");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>DescribeSessions' <c>Filters</c> (1–6 of AWS's SessionFilter keys), each a predicate on a session.</summary>
    private static List<Func<ManagerSession, bool>> SessionFilters(SsmCall call)
    {
        var predicates = new List<Func<ManagerSession, bool>>();
        foreach (var (key, value) in KeyValueFilters(call, 6, SessionFilterKeys, 400))
        {
            predicates.Add(key switch
            {
                "InvokedAfter" or "InvokedBefore" => FilterTime(key, value) is var bound && key == "InvokedAfter"
                    ? s => s.StartMilliseconds >= bound
                    : s => s.StartMilliseconds < bound,
                "Target" => s => s.Target == value,
                "Owner" => s => s.Owner == value,
                "SessionId" => s => s.SessionId == value,
                _ => value is "Connected" or "Connecting" or "Disconnected" or "Terminated" or "Terminating" or "Failed"
                    ? s => SessionStatus(s) == value
                    : throw SsmException.Validation($"The Status filter value {value} is not valid. Valid values: Connected, Connecting, Disconnected, Terminated, Terminating, Failed."),
            });
        }

        return predicates;
    }

    /// <summary>
    /// Checks <paramref name="parameters"/> against what <paramref name="document"/> declares: each a list of one
    /// string, a required one present, a port within its pattern; anything else is refused.
    /// </summary>
    private static void CheckSessionParameters(string document, (string Name, bool Required, string? Pattern)[] declared, JsonElement parameters)
    {
        var given = parameters.ValueKind == JsonValueKind.Object ? parameters.EnumerateObject().Select(m => m.Name).ToList() : [];
        if (given.FirstOrDefault(n => !Array.Exists(declared, d => d.Name == n)) is { } undeclared)
        {
            throw SsmException.Validation($"Parameter \"{undeclared}\" is not declared by {document}{(declared.Length == 0 ? " (it takes none)" : $" (it takes {string.Join(", ", declared.Select(d => d.Name))})")}.");
        }

        foreach (var (name, required, pattern) in declared)
        {
            var values = ParameterValues(parameters, name);
            if (values.IsDefaultOrEmpty)
            {
                if (required)
                {
                    throw SsmException.Validation($"Parameter \"{name}\" is required by {document}.");
                }

                continue;
            }

            if (values.Length != 1 || (pattern is not null && !System.Text.RegularExpressions.Regex.IsMatch(values[0], pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))))
            {
                throw SsmException.Validation($"Parameter \"{name}\" of {document} must be one value{(pattern is null ? string.Empty : $" matching {pattern}")}.");
            }
        }
    }

    /// <summary>StartSession's and ResumeSession's answer: the session, its token and the data channel's URL (not served).</summary>
    private byte[] SessionAnswer(ManagerSession session) => Json(writer =>
    {
        writer.WriteString("SessionId", session.SessionId);
        writer.WriteString("TokenValue", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        writer.WriteString("StreamUrl", $"wss://ssmmessages.{account.Region}.{account.UrlSuffix}/v1/data-channel/{session.SessionId}?role=publish_subscribe");
    });

    /// <summary>A session never connects (no data channel): <c>Connecting</c> until it ends, then <c>Terminated</c>.</summary>
    private static string SessionStatus(ManagerSession session) => session.EndMilliseconds is null ? "Connecting" : "Terminated";

    /// <summary>A session document's ARN: AWS's own documents have no account, the account's shell preferences do.</summary>
    private string SessionDocumentArn(string document) =>
        document.StartsWith("AWS-", StringComparison.Ordinal) ? DocumentArn(document) : $"arn:{account.Partition}:ssm:{account.Region}:{account.AccountId}:document/{document}";

    private string SessionArn(string sessionId) => $"arn:{account.Partition}:ssm:{account.Region}:{account.AccountId}:session/{sessionId}";
}
