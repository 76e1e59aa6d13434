using System.Text;

namespace Cloister.Functions.Logging;

/// <summary>
/// The log lines of one invocation, from its START to its REPORT (what its runtime wrote in between included), kept
/// for Invoke's <c>X-Amz-Log-Type: Tail</c>: Lambda answers the last 4 KB of them. Lines arrive from the runtime's
/// output readers and from the invoking thread alike, so appends are locked; only the last lines are kept.
/// </summary>
internal sealed class InvocationLogTail
{
    /// <summary>Lambda's size of <c>X-Amz-Log-Result</c> before base64: 4 KB.</summary>
    public const int MaxBytes = 4 * 1024;

    // More characters than 4 KB can hold: whatever the encoding, the last 4 KB is within them.
    private const int KeptChars = 2 * MaxBytes;

    private readonly Lock _gate = new();
    private readonly StringBuilder _lines = new();

    public void Append(string line)
    {
        lock (_gate)
        {
            _lines.Append(line).Append('\n');
            if (_lines.Length > 2 * KeptChars)
            {
                _lines.Remove(0, _lines.Length - KeptChars);
            }
        }
    }

    /// <summary>The last <see cref="MaxBytes"/> bytes of the lines, in UTF-8.</summary>
    public byte[] LastBytes()
    {
        string text;
        lock (_gate)
        {
            text = _lines.ToString();
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length <= MaxBytes ? bytes : bytes[^MaxBytes..];
    }
}
