using System.Security;
using System.Text;
using Cloister.Functions.Hosting;
using Cloister.Policy;
using Cloister.Policy.Callers;
using Cloister.Shared.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloister.Functions.Sts;

/// <summary>
/// STS's Query API (<c>Action=...&amp;Version=2011-06-15</c>, form-encoded in a POST body or in the query string),
/// as far as the sandbox serves it: <c>GetCallerIdentity</c>, answered for whoever signed the call (a role session
/// with its <c>assumed-role</c> ARN, the account's root), which IAM never refuses, so no policy is evaluated. Every
/// call is authenticated first: SigV4 with the caller's secret, in STS's XML error words
/// (<c>MissingAuthenticationToken</c>, <c>IncompleteSignature</c>, <c>InvalidClientTokenId</c>, <c>ExpiredToken</c> for
/// temporary credentials past their expiry, <c>SignatureDoesNotMatch</c>). Answers are XML, or JSON for a caller whose
/// <c>Accept</c> names <c>application/json</c> (<c>StsHandler.Json.cs</c>). STS's other operations are refused as operations the caller may not use
/// (<c>AccessDenied</c>, saying Cloister does not serve them); any other action is <c>InvalidAction</c>.
/// </summary>
internal sealed partial class StsHandler(
    Func<string, CallerIdentity?> callers,
    Func<AssumeRoleRequest, AssumeRoleResult>? assumeRole,
    TimeProvider time)
{
    /// <summary>The namespace of every STS answer, for API version 2011-06-15.</summary>
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    private const string Version = "2011-06-15";

    // Bodies of the Query API are small; more than this is not read at all.
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly HashSet<string> Unserved = new(StringComparer.Ordinal)
    {
        "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "DecodeAuthorizationMessage",
        "GetAccessKeyInfo", "GetDelegatedAccessToken", "GetFederationToken", "GetSessionToken", "GetWebIdentityToken",
    };

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var requestId = Guid.NewGuid().ToString();
        var body = await HttpsApplication.ReadBodyAsync(request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        var (status, xml) = body is null
            ? Error(413, "Sender", "RequestEntityTooLarge", "Request body too large.", requestId)
            : Answer(request, body, requestId);
        var response = context.Response;
        response.StatusCode = status;
        response.Headers["x-amzn-RequestId"] = requestId;
        if (WantsJson(request))
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(ToJson(xml), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/xml";
        await response.WriteAsync(xml, context.RequestAborted).ConfigureAwait(false);
    }

    private (int Status, string Xml) Answer(HttpRequest request, byte[] body, string requestId)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Error(403, "Sender", "MissingAuthenticationToken", "Request is missing Authentication Token", requestId);
        }

        if (SigV4Authorization.TryParse(header, out var problem) is not { } authorization)
        {
            return Error(400, "Sender", "IncompleteSignature", problem!, requestId);
        }

        if (authorization.Service != "sts")
        {
            return Error(403, "Sender", "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'. ", requestId);
        }

        if (callers(authorization.AccessKeyId) is not { } caller)
        {
            return Error(403, "Sender", "InvalidClientTokenId", "The security token included in the request is invalid.", requestId);
        }

        if (caller.HasExpired(time.GetUtcNow()))
        {
            return Error(403, "Sender", "ExpiredToken", CallerIdentity.ExpiredTokenMessage, requestId);
        }

        if (caller.SecretAccessKey is { } secret && HttpsApplication.Verify(request, body, authorization, secret, time.GetUtcNow()) is { } failure)
        {
            return failure.Incomplete
                ? Error(400, "Sender", "IncompleteSignature", failure.Message, requestId)
                : Error(403, "Sender", "SignatureDoesNotMatch", failure.Message, requestId);
        }

        var parameters = Parameters(request, body);
        var action = parameters.TryGetValue("Action", out var given) ? given.ToString() : string.Empty;
        if (action == "GetCallerIdentity")
        {
            return (200, CallerIdentityXml(caller, requestId));
        }

        if (action == "AssumeRole" && assumeRole is not null)
        {
            return AssumeRole(request, caller, parameters, requestId);
        }

        if (Unserved.Contains(action))
        {
            return Error(403, "Sender", "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:{action} because Cloister does not serve sts:{action}: the sandbox issues each function's and instance's role session itself (served: sts:GetCallerIdentity)", requestId);
        }

        return Error(400, "Sender", "InvalidAction", $"Could not find operation {action} for version {(parameters.TryGetValue("Version", out var version) ? version.ToString() : Version)}", requestId);
    }

    /// <summary>
    /// GetCallerIdentity's answer as STS writes it: the caller's ARN (<c>arn:aws:sts::{account}:assumed-role/{role}/{session}</c>
    /// for a role session, <c>arn:aws:iam::{account}:root</c> for the root), its unique id (<c>{role id}:{session}</c>,
    /// the account id for the root) and the account of the ARN.
    /// </summary>
    public static string CallerIdentityXml(CallerIdentity caller, string requestId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var arn = caller.Arn;
        var parts = arn.Split(':');
        var account = parts.Length > 4 ? parts[4] : string.Empty;
        return $"""
            <GetCallerIdentityResponse xmlns="{Namespace}">
              <GetCallerIdentityResult>
                <Arn>{Escape(arn)}</Arn>
                <UserId>{Escape(caller.UserId)}</UserId>
                <Account>{Escape(account)}</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata>
                <RequestId>{requestId}</RequestId>
              </ResponseMetadata>
            </GetCallerIdentityResponse>

            """;
    }

    /// <summary>STS's error document, which the AWS CLI and SDKs read the code and message from.</summary>
    public static (int Status, string Xml) Error(int status, string type, string code, string message, string requestId) =>
        (status, $"""
            <ErrorResponse xmlns="{Namespace}">
              <Error>
                <Type>{type}</Type>
                <Code>{code}</Code>
                <Message>{Escape(message)}</Message>
              </Error>
              <RequestId>{requestId}</RequestId>
            </ErrorResponse>

            """);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    /// <summary>The call's parameters: the query string's, then a form-encoded body's, which win.</summary>
    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Parameters(HttpRequest request, byte[] body)
    {
        var parameters = QueryHelpers.ParseQuery(request.QueryString.Value);
        if (request.ContentType is { } type && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[key] = value;
            }
        }

        return parameters;
    }
}
