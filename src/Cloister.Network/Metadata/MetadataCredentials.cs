namespace Cloister.Network.Metadata;

/// <summary>The credentials the metadata service hands an instance with an instance profile (sandbox credentials, never real ones).</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret key.</param>
/// <param name="Token">The session token.</param>
public sealed record MetadataCredentials(string AccessKeyId, string SecretAccessKey, string Token)
{
    /// <summary>Never prints the secret or the token.</summary>
    public override string ToString() => $"MetadataCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
