using Cloister.Policy;

namespace Cloister.Tables.Access;

/// <summary>
/// IAM authorization of every request, as DynamoDB does it (set on <c>TablesServerOptions.Access</c>; without it the
/// service accepts any credentials, or checks only <c>AccessKeyIds</c>/<c>SigningCredentials</c>). Every request
/// on a connection whose origin is known must carry a SigV4 <c>Authorization</c> header of a known caller, signed
/// with its secret when it has one, and each action its operation needs (<c>dynamodb:PutItem</c> on the table...)
/// must be allowed by the caller's identity policies within its permissions boundary or by the table's resource
/// policy, and by the policy of the VPC endpoint the connection came through. See docs/tables.md, "Access control".
/// A connection first presenting a key id asks <see cref="ServiceAccess.Callers"/> once (the answer is kept for the
/// connection's life); <see cref="ServiceAccess.Origins"/> is asked once per connection (the stack host's own is its
/// loopback provisioning client).
/// </summary>
public sealed record TablesAccess : ServiceAccess;
