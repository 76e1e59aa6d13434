using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using Cloister.Shared.Signing;
using Cloister.Tables.Protocol;
using Microsoft.AspNetCore.Http;

namespace Cloister.Tables.Authentication;

/// <summary>
/// Checks AWS Signature Version 4 on requests when the service is configured with credentials:
/// the key id must be one of them (else UnrecognizedClientException), the request must be signed
/// with its secret (else InvalidSignatureException) within 15 minutes of now, as DynamoDB allows.
/// The region and service are taken from the credential scope the client signed with. With access
/// control (<c>TablesAccess</c>) the secret is the caller's, given to <see cref="Verify(SigV4Authorization, string, string, string, IHeaderDictionary, ReadOnlySpan{byte})"/>.
/// </summary>
internal sealed class SignatureVerifier
{
    private const int MaxCachedKeys = 256;

    private readonly FrozenDictionary<string, string> _secrets;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, byte[]> _signingKeys = new(StringComparer.Ordinal);

    public SignatureVerifier(IReadOnlyDictionary<string, string> secrets, TimeProvider time)
    {
        _secrets = secrets.ToFrozenDictionary(StringComparer.Ordinal);
        _time = time;
    }

    /// <summary>Parses the Authorization header and checks the key id; the signature is checked by <see cref="Verify(SigV4Authorization, string, string, IHeaderDictionary, ReadOnlySpan{byte})"/> once the body is read.</summary>
    public SigV4Authorization Authenticate(string authorization)
    {
        if (authorization.Length == 0)
        {
            throw DynamoDbException.MissingAuthenticationToken();
        }

        var parsed = SigV4Authorization.TryParse(authorization, out var problem)
            ?? throw new DynamoDbException(ErrorCodes.IncompleteSignature, problem!);
        if (!_secrets.ContainsKey(parsed.AccessKeyId))
        {
            throw DynamoDbException.UnrecognizedClient();
        }

        return parsed;
    }

    /// <summary>Recomputes the signature over the request as received with the configured secret of its key id and compares it in constant time.</summary>
    public void Verify(SigV4Authorization authorization, string method, string rawTarget, IHeaderDictionary headers, ReadOnlySpan<byte> body) =>
        Verify(authorization, _secrets[authorization.AccessKeyId], method, rawTarget, headers, body);

    /// <summary>Recomputes the signature over the request as received with <paramref name="secret"/> and compares it in constant time.</summary>
    public void Verify(SigV4Authorization authorization, string secret, string method, string rawTarget, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var canonical = CanonicalRequest(method, rawTarget, headers, authorization.SignedHeaders, body);
        if (SigV4Check.Verify(authorization, headers["X-Amz-Date"].ToString(), _time.GetUtcNow(), canonical, SigningKey(authorization, secret)) is { } failure)
        {
            throw new DynamoDbException(failure.Incomplete ? ErrorCodes.IncompleteSignature : ErrorCodes.InvalidSignature, failure.Message);
        }
    }

    /// <summary>SigV4's canonical request of a DynamoDB call: the signed headers as received, the body's SHA-256.</summary>
    internal static string CanonicalRequest(string method, string rawTarget, IHeaderDictionary headers, string signedHeaders, ReadOnlySpan<byte> body) =>
        SigV4Canonical.CanonicalRequest(method, rawTarget, headers, signedHeaders, SigV4Canonical.Hex(SHA256.HashData(body)));

    private byte[] SigningKey(SigV4Authorization authorization, string secret)
    {
        // The secret is part of the key: a key id whose secret changed (a stack deployed again) must not find the old one.
        var cacheKey = authorization.AccessKeyId + "/" + authorization.Scope + "/" + secret;
        if (_signingKeys.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var key = SigV4Canonical.SigningKey(secret, authorization.Date, authorization.Region, authorization.Service);
        if (_signingKeys.Count >= MaxCachedKeys)
        {
            _signingKeys.Clear();
        }

        _signingKeys[cacheKey] = key;
        return key;
    }

}
