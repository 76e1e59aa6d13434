namespace Cloister.Gateway.Ports;

/// <summary>
/// The authorization port: turns a policy document (an API's resource policy, a VPC endpoint's policy)
/// into something the gateway evaluates per request. <c>Cloister.Policy</c> plugs in here.
/// </summary>
public interface IExecuteApiAuthorizer
{
    /// <summary>Parses and compiles <paramref name="policyDocument"/>; throws when it is not a valid policy.</summary>
    /// <param name="policyDocument">The policy JSON.</param>
    /// <param name="resourceArn">The ARN of the resource the policy is attached to (for the <c>execute-api:/</c> shorthand).</param>
    IExecuteApiPolicy Compile(string policyDocument, string resourceArn);
}
