using System.Collections.Immutable;
using Cloister.Policy;

namespace Cloister.Functions.Tests.Support;

/// <summary>The account, region and callers the Invoke API's tests sign as: role sessions with one identity policy each.</summary>
internal static class TestCallers
{
    public const string Account = "123456789012";
    public const string Region = "eu-central-1";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /// <summary>
    /// The session <c>arn:aws:sts::ACCOUNT:assumed-role/{role}/session</c> signing with <see cref="Secret"/>, whose one
    /// identity policy allows <paramref name="actions"/> (a JSON string or array) on every resource.
    /// </summary>
    public static CallerIdentity RoleSession(string role, string actions) =>
        RoleSessionWith(role, $$"""[{"Effect":"Allow","Action":{{actions}},"Resource":"*"}]""");

    /// <summary>
    /// The session <c>arn:aws:sts::ACCOUNT:assumed-role/{role}/session</c> signing with <see cref="Secret"/>, whose one
    /// identity policy allows <paramref name="actions"/> (a JSON string or array) on every resource only through the VPC
    /// endpoint <paramref name="vpce"/> (<c>aws:SourceVpce</c>).
    /// </summary>
    public static CallerIdentity RoleSessionThrough(string role, string actions, string vpce)
    {
        var condition = $$$"""{"StringEquals":{"aws:SourceVpce":"{{{vpce}}}"}}""";
        return RoleSessionWith(role, $$"""[{"Effect":"Allow","Action":{{actions}},"Resource":"*","Condition":{{condition}}}]""");
    }

    /// <summary>
    /// The session <c>arn:aws:sts::ACCOUNT:assumed-role/{role}/session</c> signing with <see cref="Secret"/>, whose one
    /// identity policy has <paramref name="statements"/> (a JSON array of statements), its role tagged with
    /// <paramref name="roleTags"/> (its <c>aws:PrincipalTag/KEY</c>s).
    /// </summary>
    public static CallerIdentity RoleSessionWith(string role, string statements, ImmutableDictionary<string, string>? roleTags = null)
    {
        var policy = Parse($$"""{"Version":"2012-10-17","Statement":{{statements}}}""", PolicyKind.Identity);
        var principal = RequestPrincipal.RoleSession($"arn:aws:sts::{Account}:assumed-role/{role}/session", $"arn:aws:iam::{Account}:role/{role}", DateTimeOffset.UtcNow, roleTags ?? ImmutableDictionary<string, string>.Empty);
        return new CallerIdentity(principal, $"AROA{role.ToUpperInvariant()}:session", Secret, [policy], null, false);
    }

    public static Cloister.Policy.Policy Parse(string json, PolicyKind kind) =>
        Cloister.Policy.Policy.Parse(json, new PolicyParseOptions(kind)).Policy ?? throw new ArgumentException("Not a valid policy: " + json, nameof(json));
}
