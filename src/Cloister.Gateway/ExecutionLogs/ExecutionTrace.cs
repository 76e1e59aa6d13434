using System.Globalization;
using System.Text;
using Cloister.Gateway.AccessLogs;
using Cloister.Gateway.Templates;

namespace Cloister.Gateway.ExecutionLogs;

/// <summary>
/// One request's execution log, made only when its method logs (ERROR or INFO). Each line is queued as it happens, as a
/// CloudWatch Logs event <c>{"timestamp","logStreamName","message"}</c> whose message starts <c>(requestId) </c>; the
/// file's writer task does the writing, off the request path. Callers write INFO lines through <see cref="Info"/> and
/// data trace lines through <see cref="Data"/>, which are null when those are off, so their text is never even built.
/// </summary>
internal sealed class ExecutionTrace
{
    /// <summary>AWS truncates execution log events at 1 KB.</summary>
    public const int MaxMessageBytes = 1_024;

    private const string Truncated = " [TRUNCATED]";

    private readonly AccessLogWriter _writer;
    private readonly ExecutionLogTarget _target;
    private readonly TimeProvider _time;
    private readonly string _prefix;

    public ExecutionTrace(AccessLogWriter writer, ExecutionLogTarget target, ExecutionLogSetting setting, string requestId, TimeProvider time)
    {
        _writer = writer;
        _target = target;
        _time = time;
        _prefix = $"({requestId}) ";
        Info = setting.Level == ExecutionLogLevel.Info ? this : null;
        Data = setting.Level == ExecutionLogLevel.Info && setting.DataTrace ? this : null;
    }

    /// <summary>This trace when the method logs at INFO; else null.</summary>
    public ExecutionTrace? Info { get; }

    /// <summary>This trace when the method logs at INFO with data trace; else null.</summary>
    public ExecutionTrace? Data { get; }

    /// <summary>Whether an error line has been written for the request.</summary>
    public bool Failed { get; private set; }

    /// <summary>Writes a line (through <see cref="Info"/> or <see cref="Data"/> for INFO and data trace lines).</summary>
    public void Write(string message)
    {
        var text = Truncate(_prefix + message);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"timestamp\":{_time.GetUtcNow().ToUnixTimeMilliseconds()},\"logStreamName\":{JsonText.Quote(_target.StreamName)},\"message\":{JsonText.Quote(text)}}}");
        _writer.Enqueue(_target.FilePath, line);
    }

    /// <summary>Writes a line saying why the request failed: written at ERROR and at INFO.</summary>
    public void Error(string message)
    {
        Failed = true;
        Write(message);
    }

    private static string Truncate(string message)
    {
        if (Encoding.UTF8.GetByteCount(message) <= MaxMessageBytes)
        {
            return message;
        }

        var budget = MaxMessageBytes - Truncated.Length;
        var end = 0;
        var bytes = 0;
        while (end < message.Length)
        {
            var width = char.IsHighSurrogate(message[end]) && end + 1 < message.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(message.AsSpan(end, width));
            if (bytes + size > budget)
            {
                break;
            }

            bytes += size;
            end += width;
        }

        return string.Concat(message.AsSpan(0, end), Truncated);
    }
}
