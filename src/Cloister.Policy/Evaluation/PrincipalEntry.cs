namespace Cloister.Policy.Evaluation;

/// <summary>
/// One principal named in a Principal or NotPrincipal element. An AWS account (<c>123456789012</c>
/// or <c>arn:aws:iam::123456789012:root</c>) is held as its account id and covers every identity of
/// that account (<see cref="PrincipalMatch.Account"/>, its root as <see cref="PrincipalMatch.Caller"/>);
/// any other AWS ARN names that identity (a role also covers its sessions).
/// </summary>
/// <param name="Kind">The principal type the entry was listed under.</param>
/// <param name="Value">The ARN, service name, provider or canonical id; the account id for accounts.</param>
/// <param name="IsAccount">Whether <paramref name="Value"/> is an account id.</param>
internal readonly record struct PrincipalEntry(PrincipalKind Kind, string Value, bool IsAccount)
{
    /// <summary>How this entry covers <paramref name="principal"/>.</summary>
    public PrincipalMatch Match(RequestPrincipal principal)
    {
        if (principal.Kind != Kind)
        {
            return PrincipalMatch.None;
        }

        if (Kind != PrincipalKind.Aws)
        {
            return string.Equals(principal.Identifier, Value, Kind == PrincipalKind.Service ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
                ? PrincipalMatch.Caller
                : PrincipalMatch.None;
        }

        if (IsAccount)
        {
            return !string.Equals(principal.Account, Value, StringComparison.Ordinal) ? PrincipalMatch.None
                : principal.IsAccountRoot ? PrincipalMatch.Caller
                : PrincipalMatch.Account;
        }

        return string.Equals(principal.Identifier, Value, StringComparison.Ordinal) ? PrincipalMatch.Caller
            : string.Equals(principal.RoleArn, Value, StringComparison.Ordinal) ? PrincipalMatch.Role
            : PrincipalMatch.None;
    }
}
