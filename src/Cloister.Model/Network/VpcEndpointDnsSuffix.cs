using System.Security.Cryptography;
using System.Text;

namespace Cloister.Model.Network;

/// <summary>
/// The eight characters AWS puts after an interface endpoint's id in its DNS names
/// (<c>{vpce-id}-{8 chars}.{service}.{region}.vpce.amazonaws.com</c>). Random in AWS; derived from the id here, so the
/// names a template reads (<c>Fn::GetAtt Endpoint.DnsEntries</c>) are the names the resolvers answer.
/// </summary>
public static class VpcEndpointDnsSuffix
{
    /// <summary>The eight lowercase letters and digits for <paramref name="vpcEndpointId"/>.</summary>
    public static string Of(string vpcEndpointId) => Hashed(vpcEndpointId, "abcdefghijklmnopqrstuvwxyz0123456789", 8);

    /// <summary>
    /// The id of the private hosted zone AWS creates for an interface endpoint with private DNS, which its
    /// <c>DnsEntries</c> name for the private DNS entries: <c>Z</c> and twenty uppercase letters and digits, derived from
    /// the endpoint id as <see cref="Of"/> is.
    /// </summary>
    public static string PrivateZoneId(string vpcEndpointId) => "Z" + Hashed(vpcEndpointId + "/private-dns", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20);

    private static string Hashed(string vpcEndpointId, string alphabet, int length)
    {
        ArgumentNullException.ThrowIfNull(vpcEndpointId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(vpcEndpointId), hash);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[hash[i] % alphabet.Length];
        }

        return new string(chars);
    }
}
