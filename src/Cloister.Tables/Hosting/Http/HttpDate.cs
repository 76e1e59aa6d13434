using System.Globalization;
using System.Text;

namespace Cloister.Tables.Hosting.Http;

/// <summary>The <c>Date</c> response header line (RFC 9110 IMF-fixdate), formatted once a second, not per response.</summary>
internal static class HttpDate
{
    private sealed record Line(long Second, byte[] Bytes);

    private static Line _current = new(-1, []);

    /// <summary><c>Date: ...\r\n</c> for the current second.</summary>
    public static ReadOnlySpan<byte> HeaderLine
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            var second = now.ToUnixTimeSeconds();
            var current = Volatile.Read(ref _current);
            if (current.Second != second)
            {
                current = new Line(second, Encoding.ASCII.GetBytes("Date: " + now.ToString("R", CultureInfo.InvariantCulture) + "\r\n"));
                Volatile.Write(ref _current, current);
            }

            return current.Bytes;
        }
    }
}
