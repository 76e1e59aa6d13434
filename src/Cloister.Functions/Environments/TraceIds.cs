using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace Cloister.Functions.Environments;

/// <summary>X-Ray trace headers as Lambda passes them: <c>Root=1-{epoch hex}-{24 hex};Parent={16 hex};Sampled=0</c>.</summary>
internal static class TraceIds
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// The runtime's <c>Lambda-Runtime-Trace-Id</c> for an invocation whose caller sent <paramref name="caller"/> (Invoke's
    /// <c>X-Amzn-Trace-Id</c>): the caller's trace (its <c>Root</c>, its <c>Parent</c> and <c>Sampled</c> where it gives
    /// them, else a new parent and 0), as Lambda continues an upstream service's trace; a new trace when there is no
    /// caller's header or it has no valid <c>Root</c>.
    /// </summary>
    public static string For(string? caller, DateTimeOffset now)
    {
        if (caller is null)
        {
            return New(now);
        }

        string? root = null, parent = null, sampled = null;
        foreach (var field in caller.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = field[(equals + 1)..].Trim();
            switch (field[..equals].Trim().ToUpperInvariant())
            {
                case "ROOT" when IsRoot(value):
                    root = value;
                    break;
                case "PARENT" when value.Length == 16 && IsHex(value):
                    parent = value;
                    break;
                case "SAMPLED" when value is "0" or "1":
                    sampled = value;
                    break;
            }
        }

        return root is null ? New(now) : $"Root={root};Parent={parent ?? NewHex(8)};Sampled={sampled ?? "0"}";
    }

    public static string New(DateTimeOffset now)
    {
        var epoch = now.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return $"Root=1-{epoch}-{NewHex(12)};Parent={NewHex(8)};Sampled=0";
    }

    /// <summary>X-Ray's trace id: <c>1-{8 hex digits}-{24 hex digits}</c>.</summary>
    private static bool IsRoot(string value) =>
        value.Length == 35 && value.StartsWith("1-", StringComparison.Ordinal) && value[10] == '-' && IsHex(value.AsSpan(2, 8)) && IsHex(value.AsSpan(11));

    private static bool IsHex(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(HexDigits);

    private static string NewHex(int bytes)
    {
        Span<byte> random = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }
}
