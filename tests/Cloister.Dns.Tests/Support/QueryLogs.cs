using System.Text.Json;

namespace Cloister.Dns.Tests.Support;

/// <summary>Reads query log lines written under a state folder.</summary>
internal static class QueryLogs
{
    public static List<JsonElement> Read(string stateFolder)
    {
        var folder = Path.Combine(stateFolder, "logs", "dns");
        var lines = new List<JsonElement>();
        if (!Directory.Exists(folder))
        {
            return lines;
        }

        foreach (var file in Directory.GetFiles(folder, "*.log"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.EndsWith('}'))
                {
                    lines.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return lines;
    }

    public static async Task<JsonElement> WaitForAsync(string stateFolder, Func<JsonElement, bool> match) =>
        (await Poll.UntilAsync(() => Read(stateFolder).Where(match).Select(e => (object)e).FirstOrDefault(), TimeSpan.FromSeconds(10), "a query log line") is JsonElement e) ? e : default;
}
