using System.Collections.Frozen;

namespace Cloister.Policy.Evaluation;

/// <summary>
/// A condition key resolved at compile time: a fixed slot for the keys API Gateway fills, otherwise
/// the name, looked up case-insensitively (condition keys are case-insensitive in IAM).
/// </summary>
/// <param name="Name">The key as the policy wrote it.</param>
/// <param name="Known">The fixed slot, or <see cref="KnownKey.None"/>.</param>
internal readonly record struct ContextKey(string Name, KnownKey Known)
{
    /// <summary>The number of fixed slots.</summary>
    public const int KnownCount = (int)KnownKey.TokenIssueTime + 1;

    private static readonly FrozenDictionary<string, KnownKey> KnownKeys = new Dictionary<string, KnownKey>(StringComparer.OrdinalIgnoreCase)
    {
        [ConditionKeys.SourceVpce] = KnownKey.SourceVpce,
        [ConditionKeys.SourceVpc] = KnownKey.SourceVpc,
        [ConditionKeys.VpcSourceIp] = KnownKey.VpcSourceIp,
        [ConditionKeys.SourceIp] = KnownKey.SourceIp,
        [ConditionKeys.UserAgent] = KnownKey.UserAgent,
        [ConditionKeys.Referer] = KnownKey.Referer,
        [ConditionKeys.SourceArn] = KnownKey.SourceArn,
        [ConditionKeys.CurrentTime] = KnownKey.CurrentTime,
        [ConditionKeys.EpochTime] = KnownKey.EpochTime,
        [ConditionKeys.SecureTransport] = KnownKey.SecureTransport,
        [ConditionKeys.PrincipalArn] = KnownKey.PrincipalArn,
        [ConditionKeys.PrincipalAccount] = KnownKey.PrincipalAccount,
        [ConditionKeys.PrincipalType] = KnownKey.PrincipalType,
        [ConditionKeys.Username] = KnownKey.Username,
        [ConditionKeys.PrincipalIsAwsService] = KnownKey.PrincipalIsAwsService,
        [ConditionKeys.PrincipalServiceName] = KnownKey.PrincipalServiceName,
        [ConditionKeys.UserId] = KnownKey.UserId,
        [ConditionKeys.RequestedRegion] = KnownKey.RequestedRegion,
        [ConditionKeys.ViaAwsService] = KnownKey.ViaAwsService,
        [ConditionKeys.MultiFactorAuthPresent] = KnownKey.MultiFactorAuthPresent,
        [ConditionKeys.TokenIssueTime] = KnownKey.TokenIssueTime,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolves a key name.</summary>
    public static ContextKey Of(string name) =>
        new(name, KnownKeys.TryGetValue(name, out var known) ? known : KnownKey.None);
}
