using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cloister.Policy;

/// <summary>
/// The outcome of reading a policy: the compiled policy, or every problem found (AWS reports these as
/// <c>MalformedPolicyDocument</c>).
/// </summary>
/// <param name="Policy">The compiled policy; null when there is any problem.</param>
/// <param name="Problems">Every problem found, in document order.</param>
public sealed record PolicyParseResult(Policy? Policy, ImmutableArray<PolicyProblem> Problems)
{
    /// <summary>Whether the document is a valid policy.</summary>
    [MemberNotNullWhen(true, nameof(Policy))]
    public bool IsValid => Policy is not null;

    /// <summary>The problems as AWS would word the error: <c>MalformedPolicyDocument: ...</c>.</summary>
    public string ErrorMessage => IsValid ? string.Empty : "MalformedPolicyDocument: " + string.Join("; ", Problems);
}
