using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Cloister.Policy;
using Cloister.Policy.Callers;
using Cloister.Shared.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Functions.Sts;

/// <summary>
/// AssumeRole: a new session of a role the templates declare, when the role's trust policy and the caller's policies
/// let the caller assume it as IAM judges it (<see cref="CallerDirectory.AssumeRole(AssumeRoleRequest)"/>); the root
/// cannot assume roles, as on AWS. <c>RoleSessionName</c> (2 to 64 of <c>[\w+=,.@-]</c>, ASCII) and <c>RoleArn</c>
/// (20 to 2,048 characters of text) are required; <c>ExternalId</c> (2 to 1,224 of <c>[\w+=,.@:/-]</c>) and <c>SourceIdentity</c> (2 to 64 of
/// <c>[\w+=,.@-]</c>) are the trust policy's <c>sts:ExternalId</c> and <c>sts:SourceIdentity</c>;
/// <c>DurationSeconds</c> is 900 to 43,200 (3,600 by default), at most the role's <c>MaxSessionDuration</c> and an hour
/// for a role session (role chaining): the session's credentials expire then (the answer's <c>Expiration</c>), and every
/// sandbox service answers them as expired from that moment. Session policies limit the session to what they and the
/// role's policies both allow: <c>Policy</c> (an identity-based policy of 1 to 2,048 characters of
/// <c>[\u0009\u000A\u000D\u0020-\u00FF]</c>) and <c>PolicyArns.member.N.arn</c> (up to 10 managed policies the templates'
/// roles attach), answered with <c>PackedPolicySize</c>. Every refusal is STS's own words.
/// </summary>
internal sealed partial class StsHandler
{
    private const int DefaultDurationSeconds = 3600;

    // The API reference's pattern of RoleArn (and of most of STS's strings).
    private const string TextPatternText = @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+";

    // The API reference's pattern of Policy: Latin-1 text, tab and line breaks.
    private const string PolicyPatternText = @"[\u0009\u000A\u000D\u0020-\u00FF]+";

    private static readonly SearchValues<char> PolicyCharacters = SearchValues.Create(
        "\t\n\r" + string.Concat(Enumerable.Range(0x20, 0xFF - 0x20 + 1).Select(c => (char)c)));

    private (int Status, string Xml) AssumeRole(HttpRequest request, CallerIdentity caller, Dictionary<string, StringValues> parameters, string requestId)
    {
        var roleArn = Given(parameters, "RoleArn");
        var session = Given(parameters, "RoleSessionName");
        var durationText = Given(parameters, "DurationSeconds");
        var externalId = Given(parameters, "ExternalId");
        var sourceIdentity = Given(parameters, "SourceIdentity");
        var policy = Given(parameters, "Policy");
        var policyArns = PolicyArns(parameters);
        if (roleArn is null || session is null)
        {
            return Error(400, "Sender", "MissingParameter", $"The request must contain the parameter {(roleArn is null ? "RoleArn" : "RoleSessionName")}", requestId);
        }

        // Every broken constraint is listed, a member's pattern before its length, as STS lists them.
        var problems = new ConstraintViolations();
        Constraint(problems, roleArn, "roleArn", 20, 2048, IsText(roleArn), TextPatternText);
        Constraint(problems, session, "roleSessionName", 2, 64, Matches(SessionNamePattern(), session), @"[\w+=,.@-]*");
        Constraint(problems, externalId, "externalId", 2, 1224, Matches(ExternalIdPattern(), externalId), @"[\w+=,.@:\/-]*");
        Constraint(problems, sourceIdentity, "sourceIdentity", 2, 64, Matches(SessionNamePattern(), sourceIdentity), @"[\w+=,.@-]*");
        Constraint(problems, policy, "policy", 1, 2048, policy is null || IsPolicyText(policy), PolicyPatternText);
        for (var i = 0; i < policyArns.Length; i++)
        {
            var arn = policyArns[i];
            Constraint(problems, arn, string.Create(CultureInfo.InvariantCulture, $"policyArns.{i + 1}.member.arn"), 20, 2048, IsText(arn), TextPatternText);
        }

        if (policyArns.Length > SessionPolicies.MaxPolicyArns)
        {
            problems.Add(
                $"[{string.Join(", ", policyArns.Select(arn => $"PolicyDescriptorType(arn={arn})"))}]",
                "policyArns",
                string.Create(CultureInfo.InvariantCulture, $"Member must have length less than or equal to {SessionPolicies.MaxPolicyArns}"));
        }

        var duration = DurationSeconds(problems, durationText);
        if (problems.Any)
        {
            return Error(400, "Sender", "ValidationError", problems.Message, requestId);
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

        var result = assumeRole!(new AssumeRoleRequest(caller, context, session, duration, sourceIdentity is not null, policy, policyArns));
        return result.Refusal switch
        {
            AssumeRoleRefusal.None => (200, AssumeRoleXml(result, result.Credentials!.Expiration ?? now.AddSeconds(duration), requestId)),
            AssumeRoleRefusal.MalformedSessionPolicy => Error(400, "Sender", "MalformedPolicyDocument", result.Message, requestId),
            AssumeRoleRefusal.UnknownSessionPolicyArn => Error(400, "Sender", "InvalidParameterValue", result.Message, requestId),
            AssumeRoleRefusal.PackedPolicyTooLarge => Error(400, "Sender", "PackedPolicyTooLarge", result.Message, requestId),
            AssumeRoleRefusal.UnknownRole => Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn} because Cloister knows no such role in the templates", requestId),
            AssumeRoleRefusal.SourceIdentityNotAuthorized => Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:SetSourceIdentity on resource: {roleArn}", requestId),
            AssumeRoleRefusal.ExceedsMaxSessionDuration => Error(400, "Sender", "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", requestId),
            AssumeRoleRefusal.ExceedsRoleChainingLimit => Error(400, "Sender", "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", requestId),

            // STS does not say which policy refused: the trust policy's refusals and the caller's read alike.
            _ => Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", requestId),
        };
    }

    /// <summary>A parameter as sent (empty when sent empty); null when absent.</summary>
    private static string? Given(Dictionary<string, StringValues> parameters, string name) =>
        parameters.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>
    /// The managed session policies' ARNs, <c>PolicyArns.member.N.arn</c> in the order of N (the Query protocol's list
    /// of <c>PolicyDescriptorType</c>); empty when none is sent.
    /// </summary>
    private static ImmutableArray<string> PolicyArns(Dictionary<string, StringValues> parameters)
    {
        var arns = new SortedList<int, string>();
        foreach (var (name, value) in parameters)
        {
            if (PolicyArnMember().Match(name) is { Success: true } match
                && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                arns[index] = value.ToString();
            }
        }

        return [.. arns.Values];
    }

    /// <summary>Adds STS's words for each constraint <paramref name="value"/> breaks (none when it is absent).</summary>
    private static void Constraint(ConstraintViolations problems, string? value, string member, int min, int max, bool matches, string patternText)
    {
        problems.Pattern(value, member, matches, patternText);
        problems.Length(value, member, min, max);
    }

    /// <summary>
    /// <c>DurationSeconds</c>, 900 to 43,200 (3,600 when absent); a value outside them, or no whole number at all (the
    /// sandbox's words: STS's for that case are not documented), adds its problem.
    /// </summary>
    private static int DurationSeconds(ConstraintViolations problems, string? text)
    {
        if (text is null)
        {
            return DefaultDurationSeconds;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            problems.Add(text, "durationSeconds", "Member must be a whole number of seconds");
        }
        else
        {
            problems.Range(seconds, "durationSeconds", 900, 43200);
        }

        return seconds is >= 900 and <= 43200 ? (int)seconds : DefaultDurationSeconds;
    }

    /// <summary>Whether every character of <paramref name="value"/> (at least one) is in STS's text pattern <see cref="TextPatternText"/>: no control characters but tab and line breaks, no lone surrogates.</summary>
    private static bool IsText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogatePair(value, i))
            {
                i++;
            }
            else if (!(c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\u007E') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD')))
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    /// <summary>Whether every character of <paramref name="value"/> (at least one) is in <see cref="PolicyPatternText"/>, the pattern of <c>Policy</c>.</summary>
    private static bool IsPolicyText(string value) =>
        value.Length > 0 && !value.AsSpan().ContainsAnyExcept(PolicyCharacters);

    private static string AssumeRoleXml(AssumeRoleResult result, DateTimeOffset expiration, string requestId)
    {
        var credentials = result.Credentials!;
        var session = result.Session!;
        var packed = result.PackedPolicySize is { } percent
            ? string.Create(CultureInfo.InvariantCulture, $"\n    <PackedPolicySize>{percent}</PackedPolicySize>")
            : string.Empty;
        return $"""
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
            </Credentials>{packed}
          </AssumeRoleResult>
          <ResponseMetadata>
            <RequestId>{requestId}</RequestId>
          </ResponseMetadata>
        </AssumeRoleResponse>

        """;
    }

    // An absent or empty value matches the API reference's patterns, which end in '*'. Their \w is Java's, ASCII only.
    private static bool Matches(Regex pattern, string? value) => string.IsNullOrEmpty(value) || pattern.IsMatch(value);

    [GeneratedRegex(@"\A[A-Za-z0-9_+=,.@-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_+=,.@:/-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"\APolicyArns\.member\.([0-9]{1,4})\.arn\z", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyArnMember();
}
