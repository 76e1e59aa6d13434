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

    private readonly byte[] _prefix = System.Text.Encoding.ASCII.GetBytes(RandomNumberGenerator.GetString(Alphabet, Length - CounterDigits));
    private long _counter;

    public string Next()
    {
        Span<byte> id = stackalloc byte[Length];
        Write(id);
        return System.Text.Encoding.ASCII.GetString(id);
    }

    /// <summary>Writes the next id as ASCII into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        // 36^14 ids per process before the counter wraps.
        var value = (ulong)Interlocked.Increment(ref _counter);
        _prefix.CopyTo(destination);
        for (var i = Length - 1; i >= Length - CounterDigits; i--)
        {
            destination[i] = (byte)Alphabet[(int)(value % 36)];
            value /= 36;
        }
    }
}
