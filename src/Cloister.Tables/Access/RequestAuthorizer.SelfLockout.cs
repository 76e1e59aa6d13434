using System.Text.Json;
using Cloister.Tables.Operations;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Access;

/// <summary>
/// DynamoDB's lock-out check of PutResourcePolicy: a new policy under which the caller could not put the table's
/// policy again is refused unless the request sets <c>ConfirmRemoveSelfResourceAccess</c> to true. The later
/// PutResourcePolicy is checked as <see cref="ResourcePolicy"/> would check it — same caller, same connection (origin,
/// endpoint policy), the new policy in place of the table's — so an explicit deny in the new policy counts, and so does
/// the loss of the only grant (a caller whose identity policies do not allow the action, allowed so far by the table's
/// policy alone), since either way the caller could no longer update the policy. The account's root is not held to the
/// table's policy for this action, so it always passes. CreateTable's ResourcePolicy is not checked, as in DynamoDB.
/// </summary>
internal sealed partial class RequestAuthorizer
{
    private const string PutResourcePolicyAction = "dynamodb:PutResourcePolicy";

    /// <summary>DynamoDB's message (an AccessDeniedException) for a policy that would lock its caller out.</summary>
    internal const string SelfLockoutMessage = "The new resource policy will not allow you to update the resource policy in the future.";

    /// <summary>
    /// Refuses <paramref name="request"/>'s policy when it would leave this caller unable to put <paramref name="table"/>'s
    /// policy. The members are read with the operation's own readers, in its order, so a malformed request gets the
    /// operation's error (an invalid policy its ValidationException) rather than a lock-out verdict.
    /// </summary>
    private void CheckSelfLockout(ConnectionAccess connection, JsonElement request, TableAccessEntry table)
    {
        var json = RequestReader.RequireString(request, "Policy", "policy");
        RequestReader.GetString(request, "ExpectedRevisionId");
        if (RequestReader.GetBool(request, "ConfirmRemoveSelfResourceAccess") == true)
        {
            return;
        }

        var after = new TableAccessEntry(table.Definition, table.Arn, ResourcePolicyDocument.Parse(json));
        Begin(connection, PutResourcePolicyAction, table.Arn, after);
        var decision = Evaluate(connection, after, rootIgnoresResourcePolicy: true);
        if (decision.IsAllowed)
        {
            return;
        }

        Log.SelfLockout(_logger, table.Arn, connection.Caller!.Identity.Arn, decision.Decision, decision.Source);
        throw new DynamoDbException(ErrorCodes.AccessDenied, SelfLockoutMessage);
    }
}
