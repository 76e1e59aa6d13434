using System.Collections.Immutable;
using Cloister.Policy.Parsing;

namespace Cloister.Policy.Callers;

/// <summary>
/// The session policies an AssumeRole call passes (its inline <c>Policy</c> and the managed policies its
/// <c>PolicyArns</c> name), compiled and checked as STS checks them before it issues the session, or why not.
/// </summary>
/// <param name="Policies">The compiled policies, inline first; empty when the call passes none.</param>
/// <param name="Refusal">Why they are refused; <see cref="AssumeRoleRefusal.None"/> when they are not.</param>
/// <param name="Message">The words of the refusal; empty when there is none.</param>
/// <param name="PackedPercent">How much of STS's packed allowance the policies take, in percent (0 without any).</param>
public sealed record SessionPolicies(ImmutableArray<Policy> Policies, AssumeRoleRefusal Refusal, string Message, int PackedPercent)
{
    /// <summary>
    /// STS's allowance for the plaintext of the session policies: 2,048 characters for the inline policy and the
    /// managed policies' ARNs together ("the plaintext that you use for both inline and managed session policies can't
    /// exceed 2,048 characters"). AWS packs them compressed into a binary format of its own; Cloister counts the inline
    /// policy without its whitespace outside strings, plus each ARN's characters, against this allowance.
    /// </summary>
    public const int PackedAllowance = 2048;

    /// <summary>The most managed policy ARNs one call may pass.</summary>
    public const int MaxPolicyArns = 10;

    /// <summary>No session policies: the session has its role's permissions.</summary>
    public static SessionPolicies None { get; } = new([], AssumeRoleRefusal.None, string.Empty, 0);

    /// <summary>
    /// Compiles <paramref name="inline"/> (an identity-based policy: no Principal) and looks up each of
    /// <paramref name="arns"/> in <paramref name="managed"/>: a document that is not a valid policy is
    /// <see cref="AssumeRoleRefusal.MalformedSessionPolicy"/>, an ARN Cloister knows no policy of
    /// <see cref="AssumeRoleRefusal.UnknownSessionPolicyArn"/>, and over <see cref="PackedAllowance"/> together
    /// <see cref="AssumeRoleRefusal.PackedPolicyTooLarge"/>.
    /// </summary>
    public static SessionPolicies Compile(string? inline, ImmutableArray<string> arns, IReadOnlyDictionary<string, Policy> managed)
    {
        ArgumentNullException.ThrowIfNull(managed);
        arns = arns.IsDefault ? [] : arns;
        if (inline is null && arns.IsEmpty)
        {
            return None;
        }

        var policies = ImmutableArray.CreateBuilder<Policy>(arns.Length + 1);
        var size = 0;
        if (inline is not null)
        {
            var parsed = Policy.Parse(inline, new PolicyParseOptions(PolicyKind.Identity));
            if (!parsed.IsValid)
            {
                return Refused(AssumeRoleRefusal.MalformedSessionPolicy, string.Join("; ", parsed.Problems));
            }

            policies.Add(parsed.Policy);
            size += PolicySize.Count(inline);
        }

        foreach (var arn in arns)
        {
            if (!managed.TryGetValue(arn, out var policy))
            {
                return Refused(AssumeRoleRefusal.UnknownSessionPolicyArn, $"Policy {arn} does not exist or is not attachable.");
            }

            policies.Add(policy);
            size += arn.Length;
        }

        var percent = (int)Math.Ceiling(size * 100.0 / PackedAllowance);
        return size > PackedAllowance
            ? Refused(AssumeRoleRefusal.PackedPolicyTooLarge, $"Packed policy consumes {percent}% of allotted space, please use smaller policy.")
            : new SessionPolicies(policies.ToImmutable(), AssumeRoleRefusal.None, string.Empty, percent);
    }

    private static SessionPolicies Refused(AssumeRoleRefusal refusal, string message) => new([], refusal, message, 0);
}
