using System.Globalization;
using System.Security.Cryptography;

namespace Cloister.Functions.Environments;

/// <summary>X-Ray trace headers as Lambda passes them: <c>Root=1-{epoch hex}-{24 hex};Parent=...;Sampled=0</c>.</summary>
internal static class TraceIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        var epoch = now.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return $"Root=1-{epoch}-{Convert.ToHexStringLower(random[..12])};Parent={Convert.ToHexStringLower(random[12..])};Sampled=0";
    }
}
