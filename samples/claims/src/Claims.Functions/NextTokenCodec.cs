using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Claims.Functions;

/// <summary>
/// Turns DynamoDB's LastEvaluatedKey into an opaque <c>nextToken</c> and back. The token carries a
/// MAC so that a token this API did not issue is refused (400) instead of reaching DynamoDB.
/// </summary>
internal sealed class NextTokenCodec
{
    private const int MacLength = 16;
    private readonly byte[] _key;

    public NextTokenCodec(string secret)
    {
        _key = SHA256.HashData(Encoding.UTF8.GetBytes("claims-next-token:" + secret));
    }

    public string Encode(Dictionary<string, AttributeValue> lastEvaluatedKey)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in lastEvaluatedKey)
        {
            plain[name] = value.S ?? throw new InvalidOperationException($"Key attribute {name} is not a string.");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(plain, ClaimsJsonContext.Default.DictionaryStringString);
        var mac = HMACSHA256.HashData(_key, payload).AsSpan(0, MacLength).ToArray();
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    public bool TryDecode(string token, out Dictionary<string, AttributeValue> exclusiveStartKey)
    {
        exclusiveStartKey = [];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.Length > 2048)
        {
            return false;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            var expected = HMACSHA256.HashData(_key, payload).AsSpan(0, MacLength);
            if (mac.Length != MacLength || !CryptographicOperations.FixedTimeEquals(mac, expected))
            {
                return false;
            }

            var plain = JsonSerializer.Deserialize(payload, ClaimsJsonContext.Default.DictionaryStringString);
            if (plain is null || !plain.ContainsKey("PK") || !plain.ContainsKey("SK"))
            {
                return false;
            }

            foreach (var (name, value) in plain)
            {
                exclusiveStartKey[name] = new AttributeValue { S = value };
            }

            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
