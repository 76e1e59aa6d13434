namespace Cloister.Model.Network;

/// <summary>
/// An instance's <c>MetadataOptions</c>, as EC2 holds them: whether the instance metadata service answers it at all,
/// whether a request without a session token (IMDSv1) is answered, how many hops the token's PUT response may travel,
/// and whether its tags are served under <c>meta-data/tags/instance</c>.
/// </summary>
/// <param name="HttpEndpointEnabled"><c>HttpEndpoint</c>: <c>enabled</c> (true) or <c>disabled</c>, when every request is refused with 403.</param>
/// <param name="HttpTokensRequired"><c>HttpTokens</c>: <c>required</c> (true; IMDSv2 only, a GET without a token is 401) or <c>optional</c> (IMDSv1 too).</param>
/// <param name="HttpPutResponseHopLimit"><c>HttpPutResponseHopLimit</c>, 1 to 64: the IP TTL of the token's response.</param>
/// <param name="InstanceMetadataTags"><c>InstanceMetadataTags</c>: <c>enabled</c> (true) serves the instance's tags.</param>
public sealed record InstanceMetadataOptions(bool HttpEndpointEnabled = true, bool HttpTokensRequired = true, int HttpPutResponseHopLimit = 2, bool InstanceMetadataTags = false)
{
    /// <summary>The smallest <c>HttpPutResponseHopLimit</c> EC2 takes.</summary>
    public const int MinHopLimit = 1;

    /// <summary>The largest <c>HttpPutResponseHopLimit</c> EC2 takes.</summary>
    public const int MaxHopLimit = 64;

    /// <summary>
    /// What an instance launched from Amazon Linux 2023 (whose AMIs are marked <c>ImdsSupport: v2.0</c>) gets without
    /// <c>MetadataOptions</c>: the endpoint on, tokens required, a hop limit of 2, tags not served.
    /// </summary>
    public static InstanceMetadataOptions Default { get; } = new();

    /// <summary>
    /// Whether EC2 lets instance metadata serve a tag with this key: letters, digits and <c>+ - = . , _ : @</c> only (no
    /// spaces, no <c>/</c>), and not <c>.</c>, <c>..</c> or <c>_index</c>. An instance with another key cannot be
    /// launched with <c>InstanceMetadataTags</c> enabled.
    /// </summary>
    public static bool IsServableTagKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key is "." or ".." or "_index")
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "+-=.,_:@".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
