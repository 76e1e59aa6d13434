namespace Cloister.Model;

/// <summary>The credentials a function receives in <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and
/// <c>AWS_SESSION_TOKEN</c>, and an instance with an instance profile from the metadata service. They are sandbox
/// credentials, never real ones.</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret key.</param>
/// <param name="SessionToken">The session token.</param>
public sealed record SandboxCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken)
{
    /// <summary>Fixed, obviously fake credentials for a sandbox without an STS.</summary>
    public static SandboxCredentials Default { get; } =
        new("ASIACLOISTERSANDBOX0", "cloister/sandbox/secret/access/key/000000", "cloister-sandbox-session-token");

    /// <summary>When these credentials expire (what STS's <c>Expiration</c> and the metadata service's say); null when they never do.</summary>
    public DateTimeOffset? Expiration { get; init; }

    /// <summary>When these credentials were issued (the metadata service's <c>LastUpdated</c>); null for fixed ones.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Never prints the secret or the token.</summary>
    public override string ToString() => $"SandboxCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
