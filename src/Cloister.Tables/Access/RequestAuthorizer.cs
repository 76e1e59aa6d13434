using System.Buffers;
using System.Net;
using System.Text;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Shared.Signing;
using Cloister.Tables.Authentication;
using Cloister.Tables.Hosting.Http;
using Cloister.Tables.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Cloister.Tables.Access;

/// <summary>
/// Authorizes requests as DynamoDB does (<see cref="TablesAccess"/>): a connection's origin is asked once when it is
/// accepted; each request's caller is found by its access key id (kept per connection) and its signature checked with
/// the caller's secret; then every action the operation needs — one per table of a batch, one per item of a
/// transaction — is checked before anything is done, so a denied check leaves nothing written. A check evaluates the
/// caller's identity policies and boundary, the table's resource policy and the endpoint's policy with
/// <see cref="IamAccess"/> and refuses with DynamoDB's AccessDeniedException and IAM's message.
/// </summary>
internal sealed partial class RequestAuthorizer
{
    private const int StackHeaderChars = 1024;

    private readonly TablesAccess _access;
    private readonly TableAccessCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly SignatureVerifier _verifier;
    private readonly ILogger _logger;
    private readonly AccountContext _account;
    private readonly string _allTablesArn;
    private readonly string _accountArn;

    public RequestAuthorizer(TablesAccess access, TableAccessCatalog catalog, AccountContext account, TimeProvider time, ILogger logger)
    {
        _access = access;
        _catalog = catalog;
        _account = account;
        _time = time;
        _logger = logger;
        _verifier = new SignatureVerifier(new Dictionary<string, string>(), time);
        _allTablesArn = $"arn:{account.Partition}:dynamodb:{account.Region}:{account.AccountId}:table/*";
        _accountArn = $"arn:{account.Partition}:dynamodb:{account.Region}:{account.AccountId}:*";
    }

    /// <summary>Works out, once, where a just accepted connection came from and what its requests are checked with.</summary>
    public ConnectionAccess Connect(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var secure = connection.Features.Get<ITlsHandshakeFeature>() is not null;
        var located = _access.Locate(
            connection.Features.Get<InterfaceEndpointListener>(),
            connection.Features.Get<IConnectionSocketFeature>()?.Socket,
            (connection.RemoteEndPoint as IPEndPoint)?.Address);
        return new ConnectionAccess(located.Origin, secure, located.EndpointPolicy, _account.Region, located.EndpointType);
    }

    /// <summary>
    /// The request's caller: MissingAuthenticationTokenException without an Authorization header, IncompleteSignature
    /// when it names no key id, UnrecognizedClientException for a key id no caller has, ExpiredTokenException for temporary
    /// credentials past their expiry (asked of every request, the connection's kept caller too: credentials expire while a
    /// connection stays open).
    /// </summary>
    public CallerAccess Authenticate(HttpRequestHead request, ConnectionAccess connection)
    {
        var header = request.Value("authorization"u8, out var count);
        if (count == 0 || header.IsEmpty)
        {
            throw DynamoDbException.MissingAuthenticationToken();
        }

        if (header.Length > SigV4Authorization.MaxHeaderLength)
        {
            throw new DynamoDbException(ErrorCodes.IncompleteSignature, "Authorization header is too long.");
        }

        char[]? rented = null;
        var chars = header.Length <= StackHeaderChars ? stackalloc char[header.Length] : (rented = ArrayPool<char>.Shared.Rent(header.Length));
        try
        {
            var text = chars[..Encoding.UTF8.GetChars(header, chars)];
            var keyId = SigV4Authorization.KeyIdOf(text);
            if (keyId.IsEmpty)
            {
                SigV4Authorization.TryParse(text, out var problem);
                throw new DynamoDbException(ErrorCodes.IncompleteSignature, problem ?? "Authorization header requires 'Credential' parameter.");
            }

            if (connection.Caller is not { } caller || !keyId.SequenceEqual(caller.AccessKeyId))
            {
                var id = keyId.ToString();
                var identity = _access.Callers(id) ?? throw DynamoDbException.UnrecognizedClient();
                caller = new CallerAccess(id, identity);
                connection.Caller = caller;
                connection.Context!.Principal = identity.Principal;
                connection.Context.UserId = identity.UserId;
            }
            else if (_access.Callers(caller.AccessKeyId) is { } current && !ReferenceEquals(current, caller.Identity))
            {
                caller = new CallerAccess(caller.AccessKeyId, current);
                connection.Caller = caller;
                connection.Context!.Principal = current.Principal;
                connection.Context.UserId = current.UserId;
            }

            return caller.Identity.HasExpired(_time.GetUtcNow()) ? throw DynamoDbException.ExpiredToken() : caller;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Checks the signature with the caller's secret, when Cloister knows it (InvalidSignatureException when wrong).</summary>
    public void VerifySignature(HttpRequestHead request, ReadOnlySpan<byte> body, CallerAccess caller)
    {
        if (caller.Identity.SecretAccessKey is not { } secret)
        {
            return;
        }

        var authorization = SigV4Authorization.TryParse(request.Text("authorization"u8), out var problem)
            ?? throw new DynamoDbException(ErrorCodes.IncompleteSignature, problem!);
        _verifier.Verify(authorization, secret, request.MethodText, request.TargetText, request.ToDictionary(), body);
    }

    /// <summary>
    /// Starts a check of <paramref name="action"/> on <paramref name="resource"/>: says which DynamoDB keys its policies
    /// read, and gives it <paramref name="table"/>'s tags as they are now (the table's, or an index's of it).
    /// </summary>
    private CheckFacts Begin(ConnectionAccess connection, string action, string resource, TableAccessEntry? table)
    {
        connection.UseEndpointPolicy(connection.Origin?.VpceId is { } vpce ? _access.EndpointPolicies.GetValueOrDefault(vpce) : null);
        var context = connection.Context!;
        context.Action = action;
        context.Resource = resource;
        var facts = connection.Facts;
        facts.Begin(connection.Caller!.Keys | connection.EndpointKeys | (table?.ResourceKeys ?? DynamoDbKeys.None), table?.ResourceTags ?? []);
        return facts;
    }

    /// <summary>Decides the check begun last; throws AccessDeniedException with IAM's message when it is not allowed.</summary>
    private void Decide(ConnectionAccess connection, TableAccessEntry? table, bool rootIgnoresResourcePolicy = false)
    {
        var decision = Evaluate(connection, table, rootIgnoresResourcePolicy);
        if (decision.IsAllowed)
        {
            return;
        }

        var context = connection.Context!;
        var caller = connection.Caller!.Identity;
        Log.Denied(_logger, context.Action, context.Resource, caller.Arn, decision.Decision, decision.Source);
        throw new DynamoDbException(ErrorCodes.AccessDenied, DeniedMessage(caller.Arn, context.Action, context.Resource, decision));
    }

    /// <summary>The decision on the check begun last, with <paramref name="table"/>'s resource policy.</summary>
    private IamDecision Evaluate(ConnectionAccess connection, TableAccessEntry? table, bool rootIgnoresResourcePolicy)
    {
        var context = connection.Context!;
        var caller = connection.Caller!.Identity;
        connection.Facts.ApplyTo(context);
        context.RequestTime = _time.GetUtcNow();

        // DynamoDB lets the account's root manage a table's resource policy even when that policy denies it, so no one is locked out.
        var resourcePolicy = rootIgnoresResourcePolicy && caller.IsRoot ? null : table?.ResourcePolicy;
        // A gateway endpoint's policy reads "AWS": "ACCOUNT" as the root only; an interface endpoint's as the whole account.
        return IamAccess.Evaluate(context, caller, resourcePolicy, connection.EndpointPolicy, connection.EndpointType);
    }

    /// <summary>IAM's access denied message: <c>User: {arn} is not authorized to perform: {action} on resource: {arn} because ...</c>.</summary>
    internal static string DeniedMessage(string caller, string action, string resource, IamDecision decision) =>
        decision.DeniedMessage(caller, action, resource);
}
