using System.Globalization;
using System.Text.Json;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// When an API Gateway access log line says its request was made: how the sandbox's CloudWatch Logs dates the line and
/// how <c>cloister logs access</c> orders and filters lines, one reading for both.
/// </summary>
public static class AccessLogTime
{
    /// <summary>
    /// The request's time an access log line carries, close to when API Gateway would have delivered it: a JSON format's
    /// <c>requestTimeEpoch</c> (<c>$context.requestTimeEpoch</c>, milliseconds) or <c>requestTime</c>
    /// (<c>$context.requestTime</c>, <c>dd/MMM/yyyy:HH:mm:ss +0000</c>), else the first such time in brackets (the
    /// Common Log Format's <c>[$context.requestTime]</c>); null when it has none.
    /// </summary>
    public static long? RequestTime(string line)
    {
        if (line.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("requestTimeEpoch", out var epoch))
                    {
                        if (epoch.ValueKind == JsonValueKind.Number && epoch.TryGetInt64(out var number))
                        {
                            return number;
                        }

                        if (epoch.ValueKind == JsonValueKind.String && long.TryParse(epoch.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var text))
                        {
                            return text;
                        }
                    }

                    if (root.TryGetProperty("requestTime", out var time) && time.ValueKind == JsonValueKind.String && ClfTime(time.GetString()!) is { } at)
                    {
                        return at;
                    }
                }
            }
            catch (JsonException)
            {
            }
        }

        var open = line.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : line.IndexOf(']', open);
        return close > open ? ClfTime(line[(open + 1)..close]) : null;
    }

    /// <summary><c>$context.requestTime</c>'s form (<c>dd/MMM/yyyy:HH:mm:ss +0000</c>) in Unix milliseconds; null when <paramref name="text"/> is not in it.</summary>
    public static long? ClfTime(string text) =>
        DateTimeOffset.TryParseExact(text, "dd/MMM/yyyy:HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToUnixTimeMilliseconds()
            : null;
}
