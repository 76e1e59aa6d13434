using System.Security.Cryptography;

namespace Cloister.Tables.Hosting;

/// <summary>
/// DynamoDB-shaped request ids (52 characters of A–Z and 0–9): a random prefix drawn once per
/// process and a counter. Unique without drawing 52 cryptographically random characters per
/// request, which was a visible share of a GetItem's server time.
/// </summary>
internal sealed class RequestIds
{
    public const int Length = 52;
    private const int CounterDigits = 14;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly string _prefix = RandomNumberGenerator.GetString(Alphabet, Length - CounterDigits);
    private long _counter;

    public string Next()
    {
        // 36^14 ids per process before the counter wraps.
        var value = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(Length, (_prefix, value), static (span, state) =>
        {
            state._prefix.AsSpan().CopyTo(span);
            var value = state.value;
            for (var i = Length - 1; i >= Length - CounterDigits; i--)
            {
                span[i] = Alphabet[(int)(value % 36)];
                value /= 36;
            }
        });
    }
}
