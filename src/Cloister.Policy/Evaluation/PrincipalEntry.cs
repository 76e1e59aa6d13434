namespace Cloister.Policy.Evaluation;

/// <summary>
/// One principal named in a Principal or NotPrincipal element. An AWS account (<c>123456789012</c>
/// or <c>arn:aws:iam::123456789012:root</c>) is held as its account id and matches every identity of
/// that account; any other AWS ARN matches that identity (a role also matches its sessions).
/// </summary>
/// <param name="Kind">The principal type the entry was listed under.</param>
/// <param name="Value">The ARN, service name, provider or canonical id; the account id for accounts.</param>
/// <param name="IsAccount">Whether <paramref name="Value"/> is an account id.</param>
internal readonly record struct PrincipalEntry(PrincipalKind Kind, string Value, bool IsAccount)
{
    public bool Matches(RequestPrincipal principal)
    {
        if (principal.Kind != Kind)
        {
            return false;
        }

        if (Kind == PrincipalKind.Aws)
        {
            return IsAccount
                ? string.Equals(principal.Account, Value, StringComparison.Ordinal)
                : string.Equals(principal.Identifier, Value, StringComparison.Ordinal) || string.Equals(principal.RoleArn, Value, StringComparison.Ordinal);
        }

        return string.Equals(principal.Identifier, Value, Kind == PrincipalKind.Service ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
