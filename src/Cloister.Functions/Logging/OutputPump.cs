using System.IO.Pipes;
using System.Text;

namespace Cloister.Functions.Logging;

/// <summary>
/// Reads one output stream of a function's process on a dedicated thread and turns each line into a log event
/// (the runtimes write a multi-line message as one line with <c>\r</c> between its lines, as Lambda's do).
/// <see cref="Drain"/> waits until everything the process wrote so far has been logged, so that the function's
/// own lines come before the END line of its invocation.
/// </summary>
internal sealed class OutputPump
{
    private const int MaxLineBytes = 256 * 1024;

    private readonly Stream _stream;
    private readonly Action<string> _onLine;
    private readonly nint _fd;
    private readonly Thread _thread;
    private int _busy;

    public OutputPump(Stream stream, Action<string> onLine)
    {
        _stream = stream;
        _onLine = onLine;
        _fd = stream is PipeStream pipe ? pipe.SafePipeHandle.DangerousGetHandle() : -1;
        _thread = new Thread(Run) { IsBackground = true, Name = "function output" };
        _thread.Start();
    }

    /// <summary>Waits, at most <paramref name="limit"/>, until the pipe is empty and every line read is logged.</summary>
    public void Drain(TimeSpan limit)
    {
        if (_fd < 0)
        {
            return;
        }

        // The common case costs one poll: nothing buffered, the reader parked in read().
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Volatile.Read(ref _busy) != 0 || Native.HasInput(_fd))
        {
            if (Environment.TickCount64 >= deadline)
            {
                return;
            }

            Thread.Yield();
        }
    }

    private void Run()
    {
        var buffer = new byte[16 * 1024];
        var line = new MemoryStream();
        try
        {
            while (true)
            {
                Volatile.Write(ref _busy, 0);
                var read = _stream.Read(buffer, 0, buffer.Length);
                Volatile.Write(ref _busy, 1);
                if (read == 0)
                {
                    break;
                }

                var span = buffer.AsSpan(0, read);
                while (span.Length > 0)
                {
                    var newline = span.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        if (line.Length + span.Length <= MaxLineBytes)
                        {
                            line.Write(span);
                        }

                        break;
                    }

                    line.Write(span[..newline]);
                    Emit(line);
                    span = span[(newline + 1)..];
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process; what was read is logged below.
        }
        catch (ObjectDisposedException)
        {
        }

        if (line.Length > 0)
        {
            Emit(line);
        }

        Volatile.Write(ref _busy, 0);
    }

    private void Emit(MemoryStream line)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        _onLine(Encoding.UTF8.GetString(bytes));
        line.SetLength(0);
    }
}
