using System.Collections.Concurrent;
using Cloister.Model.Api;

namespace Cloister.Gateway.Authorizers;

/// <summary>
/// Authorizer results by authorizer and identity, each kept for the authorizer's TTL. Like API Gateway, a cached
/// policy is evaluated again for every method it is used on, so a policy naming only one method ARN denies the others.
/// Keys name the API stage (API Gateway keeps results per stage), and an entry answers only for the authorizer
/// definition that produced it: a redeployment that changes the authorizer (its function, identity sources, TTL...)
/// invokes it afresh, while one that leaves it as it was keeps its results.
/// </summary>
internal sealed class AuthorizerCache(TimeProvider time)
{
    /// <summary>Past this many entries the cache is cleared rather than grown: a bound against identities sprayed by clients.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, Authorizer definition, out AuthorizerResult? result)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (time.GetTimestamp() < entry.ExpiresAt && SameAuthorizer(entry.Definition, definition))
            {
                result = entry.Result;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        result = null;
        return false;
    }

    public void Add(string key, Authorizer definition, AuthorizerResult result, TimeSpan ttl)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(definition, result, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>Whether both definitions would run the same function on the same identity the same way (a rebuilt catalog holds new but equal ones).</summary>
    private static bool SameAuthorizer(Authorizer cached, Authorizer current) =>
        ReferenceEquals(cached, current)
        || (cached.Type == current.Type
            && cached.ResultTtlInSeconds == current.ResultTtlInSeconds
            && string.Equals(cached.AuthorizerUri, current.AuthorizerUri, StringComparison.Ordinal)
            && string.Equals(cached.IdentitySource, current.IdentitySource, StringComparison.Ordinal)
            && string.Equals(cached.IdentityValidationExpression, current.IdentityValidationExpression, StringComparison.Ordinal)
            && string.Equals(cached.AuthorizerCredentials, current.AuthorizerCredentials, StringComparison.Ordinal));

    private sealed record Entry(Authorizer Definition, AuthorizerResult Result, long ExpiresAt);
}
