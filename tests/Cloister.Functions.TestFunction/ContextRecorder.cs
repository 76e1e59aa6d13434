using System.Text;

namespace Cloister.Functions.TestFunction;

/// <summary>
/// The "record" action: appends <c>{"id":request id,"client":client context or null}</c> to the file named by the
/// <c>RECORD</c> variable, then fails when asked, so a test can read what each attempt of an invocation saw.
/// </summary>
public static class ContextRecorder
{
    public static byte[] Record(string requestId, string? clientContext, bool fail)
    {
        var line = $"{{\"id\":\"{requestId}\",\"client\":{(string.IsNullOrEmpty(clientContext) ? "null" : clientContext)}}}\n";
        File.AppendAllText(Environment.GetEnvironmentVariable("RECORD")!, line, Encoding.UTF8);
        if (fail)
        {
            throw new InvalidOperationException("recorded, failing");
        }

        return Encoding.UTF8.GetBytes($"{{\"pid\":{Environment.ProcessId}}}");
    }
}
