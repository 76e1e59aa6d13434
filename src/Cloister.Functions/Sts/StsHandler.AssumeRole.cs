using System.Globalization;
using System.Text.RegularExpressions;
using Cloister.Model;
using Cloister.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Functions.Sts;

/// <summary>
/// AssumeRole: a new session of a role the templates declare, for a caller whose identity-based policies allow
/// <c>sts:AssumeRole</c> on the role's ARN (the role's trust policy, in the model since templates read it, is not judged here yet); the root
/// cannot assume roles, as on AWS. <c>RoleSessionName</c> (2 to 64 of <c>[\w+=,.@-]</c>) and <c>RoleArn</c> are
/// required, <c>DurationSeconds</c> 900 to 43200 (3600 by default) only sets the answer's <c>Expiration</c>: the
/// sandbox's services do not expire credentials.
/// </summary>
internal sealed partial class StsHandler
{
    private const int DefaultDurationSeconds = 3600;

    private (int Status, string Xml) AssumeRole(HttpRequest request, CallerIdentity caller, Dictionary<string, StringValues> parameters, string requestId)
    {
        var roleArn = parameters.TryGetValue("RoleArn", out var arn) ? arn.ToString() : string.Empty;
        var session = parameters.TryGetValue("RoleSessionName", out var name) ? name.ToString() : string.Empty;
        var durationText = parameters.TryGetValue("DurationSeconds", out var given) ? given.ToString() : null;
        if (roleArn.Length == 0 || session.Length == 0)
        {
            return Error(400, "Sender", "MissingParameter", $"The request must contain the parameter {(roleArn.Length == 0 ? "RoleArn" : "RoleSessionName")}", requestId);
        }

        if (session.Length is < 2 or > 64 || !SessionNamePattern().IsMatch(session))
        {
            return Error(400, "Sender", "ValidationError", $"1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", requestId);
        }

        var duration = DefaultDurationSeconds;
        if (durationText is not null && (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out duration) || duration is < 900 or > 43200))
        {
            return Error(400, "Sender", "ValidationError", $"1 validation error detected: Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value {(duration < 900 ? "greater than or equal to 900" : "less than or equal to 43200")}", requestId);
        }

        if (caller.IsRoot)
        {
            return Error(403, "Sender", "AccessDenied", "Roles may not be assumed by root accounts.", requestId);
        }

        var now = time.GetUtcNow();
        var context = new RequestContext
        {
            Action = "sts:AssumeRole",
            Resource = roleArn,
            Principal = caller.Principal,
            UserId = caller.UserId,
            RequestTime = now,
            SecureTransport = request.IsHttps,
        };
        var decision = IamAccess.Evaluate(context, caller, resourcePolicy: null, endpointPolicy: null);
        if (!decision.IsAllowed)
        {
            return Error(403, "Sender", "AccessDenied", decision.DeniedMessage(caller.Arn, "sts:AssumeRole", roleArn), requestId);
        }

        if (assumeRole!(roleArn, session, now) is not { } issued)
        {
            return Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn} because Cloister knows no such role in the templates", requestId);
        }

        return (200, AssumeRoleXml(issued.Credentials, issued.Session, now.AddSeconds(duration), requestId));
    }

    private static string AssumeRoleXml(SandboxCredentials credentials, CallerIdentity session, DateTimeOffset expiration, string requestId) => $"""
        <AssumeRoleResponse xmlns="{Namespace}">
          <AssumeRoleResult>
            <AssumedRoleUser>
              <AssumedRoleId>{Escape(session.UserId)}</AssumedRoleId>
              <Arn>{Escape(session.Arn)}</Arn>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>{credentials.AccessKeyId}</AccessKeyId>
              <SecretAccessKey>{Escape(credentials.SecretAccessKey)}</SecretAccessKey>
              <SessionToken>{Escape(credentials.SessionToken)}</SessionToken>
              <Expiration>{expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}</Expiration>
            </Credentials>
          </AssumeRoleResult>
          <ResponseMetadata>
            <RequestId>{requestId}</RequestId>
          </ResponseMetadata>
        </AssumeRoleResponse>

        """;

    [GeneratedRegex(@"^[\w+=,.@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();
}
