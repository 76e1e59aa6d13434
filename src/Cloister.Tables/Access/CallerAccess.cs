using Cloister.Policy;

namespace Cloister.Tables.Access;

/// <summary>A caller as a connection keeps it: who an access key id stands for, and which DynamoDB keys its policies read.</summary>
internal sealed class CallerAccess
{
    public CallerAccess(string accessKeyId, CallerIdentity identity)
    {
        AccessKeyId = accessKeyId;
        Identity = identity;
        Keys = identity.IsRoot ? DynamoDbKeys.None : DynamoDbKeyNames.ReadBy(identity.IdentityPolicies.Append(identity.PermissionsBoundary).Concat(identity.SessionPolicies));
    }

    public string AccessKeyId { get; }

    public CallerIdentity Identity { get; }

    /// <summary>The DynamoDB condition keys its identity policies, boundary and session policies read.</summary>
    public DynamoDbKeys Keys { get; }
}
