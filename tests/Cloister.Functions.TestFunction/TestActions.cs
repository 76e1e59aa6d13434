using System.Text;
using System.Text.Json;

namespace Cloister.Functions.TestFunction;

/// <summary>What the test function does, chosen by the event's "action": the same in every runtime.</summary>
public static class TestActions
{
    public static async Task<byte[]> RunAsync(string? action, int ms, string requestId, ReadOnlyMemory<byte> payload)
    {
        switch (action)
        {
            case "throw":
                throw new InvalidOperationException("boom from dotnet");
            case "exit":
                Console.WriteLine("exiting now");
                Environment.Exit(3);
                return [];
            case "sleep":
                await Task.Delay(ms);
                return Pid();
            case "big":
                return Encoding.UTF8.GetBytes("\"" + new string('x', 7 * 1024 * 1024) + "\"");
            case "env":
                return JsonSerializer.SerializeToUtf8Bytes(
                    Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                        .ToDictionary(e => (string)e.Key, e => (string?)e.Value), TestJsonContext.Default.DictionaryStringString);
            case "log":
                Console.WriteLine($"hello from {requestId}");
                return Pid();
            case "pid":
                return Pid();
            default:
                return payload.ToArray();
        }
    }

    private static byte[] Pid() => Encoding.UTF8.GetBytes($"{{\"pid\":{Environment.ProcessId}}}");
}
