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
    public static string Of(string vpcEndpointId)
    {
        ArgumentNullException.ThrowIfNull(vpcEndpointId);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(vpcEndpointId), hash);
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[hash[i] % alphabet.Length];
        }

        return new string(chars);
    }
}
