using System.Globalization;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// The <c>X-Amzn-Trace-Id</c> an application load balancer sends on, as ELB's request tracing describes it: without a
/// <c>Root</c> field from the client, a new <c>Root=1-{epoch seconds, 8 hex}-{24 hex}</c>; with one, the client's
/// fields kept and a <c>Self</c> field of the same form inserted first, or put in place of the client's own <c>Self</c>.
/// </summary>
internal static class TraceHeader
{
    public static string For(string? sent, DateTimeOffset now)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"1-{now.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 12))}");
        var fields = string.IsNullOrEmpty(sent) ? [] : sent.Split(';', StringSplitOptions.TrimEntries);
        if (!fields.Any(f => f.StartsWith("Root=", StringComparison.Ordinal)))
        {
            return "Root=" + id;
        }

        var self = Array.FindIndex(fields, f => f.StartsWith("Self=", StringComparison.Ordinal));
        if (self >= 0)
        {
            fields[self] = "Self=" + id;
            return string.Join(';', fields);
        }

        return "Self=" + id + ";" + string.Join(';', fields);
    }
}
