using Cloister.Model;

namespace Cloister.Templates.Iam;

/// <summary>
/// The ARN of an IAM managed policy, <c>arn:{partition}:iam::{account}:policy/{path}</c>: the account is <c>aws</c> for
/// the policies AWS manages, a 12-digit account id for a customer's.
/// </summary>
/// <param name="Account"><c>aws</c>, or the owning account's id.</param>
/// <param name="Path">What follows <c>policy/</c>: the policy's path and name (<c>service-role/AWSLambdaRole</c>).</param>
internal readonly record struct ManagedPolicyArn(string Account, string Path)
{
    private const string PolicyPrefix = "policy/";

    /// <summary>Whether AWS manages the policy.</summary>
    public bool IsAwsManaged => Account == "aws";

    /// <summary>Reads a managed policy's ARN in any partition; false for anything else.</summary>
    public static bool TryParse(string arn, out ManagedPolicyArn parsed)
    {
        var parts = arn.Split(':', 6);
        var valid = parts is ["arn", { Length: > 0 }, "iam", "", var account, var resource]
            && (account == "aws" || AccountContext.IsAccountId(account))
            && resource.Length > PolicyPrefix.Length && resource.StartsWith(PolicyPrefix, StringComparison.Ordinal);
        parsed = valid ? new ManagedPolicyArn(parts[4], parts[5][PolicyPrefix.Length..]) : default;
        return valid;
    }
}
