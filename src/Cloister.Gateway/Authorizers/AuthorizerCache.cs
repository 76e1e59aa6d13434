using System.Collections.Concurrent;

namespace Cloister.Gateway.Authorizers;

/// <summary>
/// Authorizer results by authorizer and identity, each kept for the authorizer's TTL. Like API Gateway, a cached
/// policy is evaluated again for every method it is used on, so a policy naming only one method ARN denies the others.
/// </summary>
internal sealed class AuthorizerCache(TimeProvider time)
{
    /// <summary>Past this many entries the cache is cleared rather than grown: a bound against identities sprayed by clients.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out AuthorizerResult? result)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (time.GetTimestamp() < entry.ExpiresAt)
            {
                result = entry.Result;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        result = null;
        return false;
    }

    public void Add(string key, AuthorizerResult result, TimeSpan ttl)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(result, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
    }

    private sealed record Entry(AuthorizerResult Result, long ExpiresAt);
}
