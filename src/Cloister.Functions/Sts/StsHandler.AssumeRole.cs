using System.Globalization;
using System.Text.RegularExpressions;
using Cloister.Model;
using Cloister.Policy;
using Cloister.Policy.Callers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Functions.Sts;

/// <summary>
/// AssumeRole: a new session of a role the templates declare, when the role's trust policy and the caller's policies
/// let the caller assume it as IAM judges it (<see cref="CallerDirectory.AssumeRole(AssumeRoleRequest)"/>); the root
/// cannot assume roles, as on AWS. <c>RoleSessionName</c> (2 to 64 of <c>[\w+=,.@-]</c>) and <c>RoleArn</c> are
/// required; <c>ExternalId</c> (2 to 1,224 of <c>[\w+=,.@:/-]</c>) and <c>SourceIdentity</c> (2 to 64 of
/// <c>[\w+=,.@-]</c>) are the trust policy's <c>sts:ExternalId</c> and <c>sts:SourceIdentity</c>;
/// <c>DurationSeconds</c> is 900 to 43,200 (3,600 by default), at most the role's <c>MaxSessionDuration</c> and an hour
/// for a role session (role chaining): the session's credentials expire then (the answer's <c>Expiration</c>), and every
/// sandbox service answers them as expired from that moment. Every refusal is STS's own words.
/// </summary>
internal sealed partial class StsHandler
{
    private const int DefaultDurationSeconds = 3600;

    private (int Status, string Xml) AssumeRole(HttpRequest request, CallerIdentity caller, Dictionary<string, StringValues> parameters, string requestId)
    {
        var roleArn = parameters.TryGetValue("RoleArn", out var arn) ? arn.ToString() : string.Empty;
        var session = parameters.TryGetValue("RoleSessionName", out var name) ? name.ToString() : string.Empty;
        var durationText = parameters.TryGetValue("DurationSeconds", out var given) ? given.ToString() : null;
        var externalId = parameters.TryGetValue("ExternalId", out var external) ? external.ToString() : null;
        var sourceIdentity = parameters.TryGetValue("SourceIdentity", out var source) ? source.ToString() : null;
        if (roleArn.Length == 0 || session.Length == 0)
        {
            return Error(400, "Sender", "MissingParameter", $"The request must contain the parameter {(roleArn.Length == 0 ? "RoleArn" : "RoleSessionName")}", requestId);
        }

        var invalid = Constraint(session, "roleSessionName", 2, 64, SessionNamePattern(), @"[\w+=,.@-]*")
            ?? Constraint(externalId, "externalId", 2, 1224, ExternalIdPattern(), @"[\w+=,.@:\/-]*")
            ?? Constraint(sourceIdentity, "sourceIdentity", 2, 64, SessionNamePattern(), @"[\w+=,.@-]*");
        if (invalid is not null)
        {
            return Error(400, "Sender", "ValidationError", "1 validation error detected: " + invalid, requestId);
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
        context.Set("sts:RoleSessionName", session);
        if (externalId is not null)
        {
            context.Set("sts:ExternalId", externalId);
        }

        if (sourceIdentity is not null)
        {
            context.Set("sts:SourceIdentity", sourceIdentity);
        }

        var result = assumeRole!(new AssumeRoleRequest(caller, context, session, duration, SetsSourceIdentity: sourceIdentity is not null));
        return result.Refusal switch
        {
            AssumeRoleRefusal.None => (200, AssumeRoleXml(result.Credentials!, result.Session!, result.Credentials!.Expiration ?? now.AddSeconds(duration), requestId)),
            AssumeRoleRefusal.UnknownRole => Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn} because Cloister knows no such role in the templates", requestId),
            AssumeRoleRefusal.SourceIdentityNotAuthorized => Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:SetSourceIdentity on resource: {roleArn}", requestId),
            AssumeRoleRefusal.ExceedsMaxSessionDuration => Error(400, "Sender", "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", requestId),
            AssumeRoleRefusal.ExceedsRoleChainingLimit => Error(400, "Sender", "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", requestId),

            // STS does not say which policy refused: the trust policy's refusals and the caller's read alike.
            _ => Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", requestId),
        };
    }

    /// <summary>STS's validation message for a string parameter outside its length or pattern; null when it is absent or fits.</summary>
    private static string? Constraint(string? value, string member, int min, int max, Regex pattern, string patternText) =>
        value is null ? null
        : value.Length < min ? $"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}"
        : value.Length > max ? $"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}"
        : !pattern.IsMatch(value) ? $"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {patternText}"
        : null;

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

    [GeneratedRegex(@"^[\w+=,.@:/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();
}
