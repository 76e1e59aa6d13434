using System.Collections.Frozen;
using Cloister.Policy;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Functions.InvokeApi;

/// <summary>
/// IAM authorization of every Invoke, as Lambda does it (set on <see cref="InvokeApiOptions.Access"/>; without it the
/// API invokes for anyone). A call on a connection whose origin is known must carry a SigV4 <c>Authorization</c>
/// header of a known caller, signed with its secret when Cloister knows it, and <c>lambda:InvokeFunction</c> on the
/// function (its ARN, qualified when the call names an alias or version) must be allowed by the caller's identity
/// policies within its permissions boundary or by the function's resource-based policy, and by the policy of the VPC
/// endpoint the connection came through. See docs/functions.md, "The Invoke API".
/// </summary>
public sealed record LambdaAccess : ServiceAccess
{
    /// <summary>
    /// The functions' resource-based policies by <c>NAME</c> or <c>NAME:QUALIFIER</c>
    /// (<see cref="Cloister.Policy.Resources.FunctionPolicies"/>); null or absent where nothing is granted.
    /// </summary>
    public IReadOnlyDictionary<string, PolicyDocument?> FunctionPolicies { get; init; } = FrozenDictionary<string, PolicyDocument?>.Empty;
}
